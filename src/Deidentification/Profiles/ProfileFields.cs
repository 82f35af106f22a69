namespace Hub.Deidentification.Profiles;

/// <summary>The kind of value a notification field holds; it decides which methods a rule file may name for it.</summary>
public enum FieldKind
{
    /// <summary>A free or identifying string (names, phone, street).</summary>
    Text,

    /// <summary>Free text (narrative): dropped unless a profile names it.</summary>
    FreeText,

    /// <summary>A date (birth date).</summary>
    Date,

    /// <summary>A date-time (when it happened).</summary>
    DateTime,

    /// <summary>An age in years.</summary>
    Age,

    /// <summary>A ZIP code.</summary>
    Zip,

    /// <summary>A census tract GEOID.</summary>
    CensusTract,

    /// <summary>A latitude/longitude point.</summary>
    Point,

    /// <summary>A street line that can be cut to its block.</summary>
    Street,

    /// <summary>A non-identifying coded value (state, sex, disposition, naloxone...).</summary>
    Coded,

    /// <summary>The per-recipient person pseudonym.</summary>
    Pseudonym,

    /// <summary>
    /// The notification's header time (<c>occurredAtUtc</c>). The contract requires a value, so it can only be kept
    /// (the disclosure time) or truncated to January 1 of the event's year.
    /// </summary>
    HeaderTime,

    /// <summary>The list of source agency ids (<c>sourceAgencies</c>): kept, or redacted to an empty list.</summary>
    AgencyList,
}

/// <summary>
/// The catalogue of notification fields a rule file must give a method to, and the methods each accepts.
/// Paths are those of <see cref="Hub.Contracts.Messages.OverdoseNotification"/>'s Subject and Event, plus the two
/// header fields that can point to a person's date or place (<see cref="HeaderTime"/>, <see cref="SourceAgencies"/>).
/// </summary>
public static class ProfileFields
{
    /// <summary>Method names a rule file may use.</summary>
    public static class Methods
    {
        /// <summary>Disclose as is.</summary>
        public const string Keep = "keep";

        /// <summary>Disclose nothing.</summary>
        public const string Redact = "redact";

        /// <summary>HMAC-SHA256 with the recipient's key, hex.</summary>
        public const string Pseudonymize = "pseudonymize";

        /// <summary>Shift the date by a per-person, per-recipient number of days within a range.</summary>
        public const string Shift = "shift";

        /// <summary>Keep the year only.</summary>
        public const string TruncateYear = "truncate-year";

        /// <summary>Keep the date, drop the time.</summary>
        public const string TruncateDate = "truncate-date";

        /// <summary>Replace by a coarser value (see <see cref="Generalizations"/>).</summary>
        public const string Generalize = "generalize";

        /// <summary>Displace a point by a distance chosen by population density.</summary>
        public const string Perturb = "perturb";
    }

    /// <summary>Targets of the <c>generalize</c> method.</summary>
    public static class Generalizations
    {
        /// <summary>Age in bands of <c>bandYears</c>; over 89 becomes 90+.</summary>
        public const string AgeBand = "age-band";

        /// <summary>Exact age up to 89; over 89 becomes 90+.</summary>
        public const string Age90Plus = "age-90plus";

        /// <summary>ZIP to its first three digits, 000 when on the restricted list.</summary>
        public const string Zip3 = "zip3";

        /// <summary>Census tract GEOID to its county (first five digits).</summary>
        public const string County = "county";

        /// <summary>Point to the centre of a grid cell of <c>cellDegrees</c>.</summary>
        public const string Grid = "grid";

        /// <summary>Street address to its hundred block ("1200 BLOCK OF MAIN ST").</summary>
        public const string Block = "block";
    }

    private static readonly Dictionary<FieldKind, string[]> MethodsByKind = new()
    {
        [FieldKind.Text] = [Methods.Keep, Methods.Redact, Methods.Pseudonymize],
        [FieldKind.FreeText] = [Methods.Keep, Methods.Redact],
        [FieldKind.Date] = [Methods.Keep, Methods.Redact, Methods.Shift, Methods.TruncateYear],
        [FieldKind.DateTime] = [Methods.Keep, Methods.Redact, Methods.Shift, Methods.TruncateDate, Methods.TruncateYear],
        [FieldKind.Age] = [Methods.Keep, Methods.Redact, Methods.Generalize],
        [FieldKind.Zip] = [Methods.Keep, Methods.Redact, Methods.Generalize],
        [FieldKind.CensusTract] = [Methods.Keep, Methods.Redact, Methods.Generalize],
        [FieldKind.Point] = [Methods.Keep, Methods.Redact, Methods.Perturb, Methods.Generalize],
        [FieldKind.Street] = [Methods.Keep, Methods.Redact, Methods.Generalize],
        [FieldKind.Coded] = [Methods.Keep, Methods.Redact],
        [FieldKind.Pseudonym] = [Methods.Pseudonymize, Methods.Redact],
        [FieldKind.HeaderTime] = [Methods.Keep, Methods.TruncateYear],
        [FieldKind.AgencyList] = [Methods.Keep, Methods.Redact],
    };

    private static readonly Dictionary<FieldKind, string[]> GeneralizationsByKind = new()
    {
        [FieldKind.Age] = [Generalizations.AgeBand, Generalizations.Age90Plus],
        [FieldKind.Zip] = [Generalizations.Zip3],
        [FieldKind.CensusTract] = [Generalizations.County],
        [FieldKind.Point] = [Generalizations.Grid],
        [FieldKind.Street] = [Generalizations.Block],
    };

    /// <summary>The header time field: when the hub made the notification, or only the event's year.</summary>
    public const string HeaderTime = "occurredAtUtc";

    /// <summary>The header list of source agencies (a town's EMS names a place below state).</summary>
    public const string SourceAgencies = "sourceAgencies";

    /// <summary>Every field with its kind, in notification order (header fields first).</summary>
    public static IReadOnlyDictionary<string, FieldKind> All { get; } = new Dictionary<string, FieldKind>(StringComparer.Ordinal)
    {
        [HeaderTime] = FieldKind.HeaderTime,
        [SourceAgencies] = FieldKind.AgencyList,
        ["subject.pseudonym"] = FieldKind.Pseudonym,
        ["subject.familyName"] = FieldKind.Text,
        ["subject.givenName"] = FieldKind.Text,
        ["subject.birthDate"] = FieldKind.Date,
        ["subject.age"] = FieldKind.Age,
        ["subject.sex"] = FieldKind.Coded,
        ["subject.phone"] = FieldKind.Text,
        ["subject.homeAddress.street"] = FieldKind.Street,
        ["subject.homeAddress.city"] = FieldKind.Text,
        ["subject.homeAddress.countyFips"] = FieldKind.Coded,
        ["subject.homeAddress.state"] = FieldKind.Coded,
        ["subject.homeAddress.zip"] = FieldKind.Zip,
        ["event.occurredAt"] = FieldKind.DateTime,
        ["event.location.street"] = FieldKind.Street,
        ["event.location.block"] = FieldKind.Text,
        ["event.location.intersection"] = FieldKind.Text,
        ["event.location.city"] = FieldKind.Text,
        ["event.location.state"] = FieldKind.Coded,
        ["event.location.zip"] = FieldKind.Zip,
        ["event.location.countyFips"] = FieldKind.Coded,
        ["event.location.censusTract"] = FieldKind.CensusTract,
        ["event.location.point"] = FieldKind.Point,
        ["event.location.beat"] = FieldKind.Text,
        ["event.location.locationType"] = FieldKind.Coded,
        ["event.substance"] = FieldKind.Coded,
        ["event.naloxoneGiven"] = FieldKind.Coded,
        ["event.naloxoneDoses"] = FieldKind.Coded,
        ["event.naloxoneResponse"] = FieldKind.Coded,
        ["event.fatal"] = FieldKind.Coded,
        ["event.disposition"] = FieldKind.Coded,
        ["event.impressions"] = FieldKind.Coded,
        ["event.dispatchReason"] = FieldKind.Coded,
        ["event.definitions"] = FieldKind.Coded,
        ["event.narrative"] = FieldKind.FreeText,
    };

    /// <summary>The methods a field kind accepts.</summary>
    public static IReadOnlyList<string> MethodsFor(FieldKind kind) => MethodsByKind[kind];

    /// <summary>The generalization targets a field kind accepts (empty when none).</summary>
    public static IReadOnlyList<string> GeneralizationsFor(FieldKind kind) =>
        GeneralizationsByKind.TryGetValue(kind, out var targets) ? targets : [];
}
