using Hub.Contracts.Model;
using Hub.Contracts.Sharing;
using Hub.Deidentification.Disclosure;
using Hub.Deidentification.Profiles;
using Hub.Deidentification.Pseudonyms;

namespace Hub.Deidentification.Tests.Disclosure;

/// <summary>Synthetic events, agreements and recipients for the tests (no real person).</summary>
internal static class Episodes
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static readonly byte[] HubKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    public static readonly byte[] RecipientKey = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];

    public static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.CreateEmbedded("2020"));

    public static DisclosureService Service() => new(Catalog.Value, new PersonTokenizer(HubKey));

    public static OverdoseEvent Ems(string agency = "ems-1", Action<List<SecurityLabel>>? labels = null) => new()
    {
        EventId = "ev-ems-1",
        SourceKind = SourceKind.Ems,
        FeedId = "feed-ems",
        SourceAgencyId = agency,
        SourceRecordId = "PCR-0001",
        OccurredAt = new DateTimeOffset(2026, 11, 20, 23, 15, 0, TimeSpan.FromHours(-5)),
        Location = new EventLocation
        {
            Precision = LocationPrecision.Point,
            StreetAddress = "1234 Elm Street",
            City = "Springfield",
            State = "MA",
            Zip = "01103",
            CountyFips = "25013",
            CensusTract = "25013800101",
            Latitude = 42.1015,
            Longitude = -72.5898,
            LocationType = "private-residence",
        },
        Subject = new SubjectIdentity
        {
            FamilyName = "Testperson",
            GivenName = "Alexandra",
            BirthDate = new DateOnly(1988, 4, 12),
            AgeYears = 38,
            Sex = "female",
            Phone = "(413) 555-0100",
            HomeAddress = new PostalAddress { Street = "77 Oak Ave", City = "Springfield", State = "MA", Zip = "01104", CountyFips = "25013" },
            MedicalRecordNumber = "MRN-XYZ-1",
            SocialSecurityNumber = "000-12-3456",
        },
        Clinical = new ClinicalFacts
        {
            Substance = SubstanceClass.Opioid,
            NaloxoneGiven = true,
            NaloxoneDoses = 2,
            Disposition = DispositionKind.RefusedTransport,
            Impressions = [new CodedValue { System = "ICD-10-CM", Code = "T40.411A" }],
        },
        Detection = new DetectionResult { DefinitionId = "nemsis-opioid-overdose", DefinitionVersion = "2025-12-17" },
        SecurityLabels = labels is null ? [] : Build(labels),
        Provenance = new Provenance { Source = "ems.xml", Sha256 = new string('a', 64), ReceivedAtUtc = Now },
        Narrative = "Pt found unresponsive by roommate",
    };

    public static OverdoseEvent Police(string agency = "pd-1") => new()
    {
        EventId = "ev-pd-1",
        SourceKind = SourceKind.Police,
        FeedId = "feed-cad",
        SourceAgencyId = agency,
        SourceRecordId = "CAD-26-000123",
        OccurredAt = new DateTimeOffset(2026, 11, 20, 23, 10, 0, TimeSpan.FromHours(-5)),
        Location = new EventLocation { Precision = LocationPrecision.Block, Block = "1200 BLOCK OF ELM ST", City = "Springfield", State = "MA", Beat = "B3" },
        Clinical = new ClinicalFacts { DispatchReason = "OD", NaloxoneGiven = true, NaloxoneDoses = 1 },
        Detection = new DetectionResult { DefinitionId = "cad-call-type", DefinitionVersion = "1" },
        Provenance = new Provenance { Source = "cad.csv", Sha256 = new string('b', 64), ReceivedAtUtc = Now },
    };

    public static DataSharingAgreement Agreement(string agency = "ems-1", string max = "identified-outreach", Action<AgreementOverrides>? change = null, string? id = null)
    {
        var o = new AgreementOverrides();
        change?.Invoke(o);
        return new DataSharingAgreement
        {
            Id = id ?? "dsa-" + agency,
            SourceAgencyIds = [agency],
            RecipientId = "outreach-1",
            MaxProfile = max,
            EffectiveFrom = o.EffectiveFrom ?? new DateOnly(2026, 1, 1),
            ExpiresOn = o.ExpiresOn,
            AllowsMinors = o.AllowsMinors,
            Purpose = o.Purpose,
            LegalBasis = o.LegalBasis,
        };
    }

    public static DisclosureRequest Request(IReadOnlyList<OverdoseEvent> events, IReadOnlyList<DataSharingAgreement> agreements, string profile = "identified-outreach", bool optedOut = false) => new()
    {
        EpisodeId = new Guid("6f1c1a52-5c1e-4b0e-9b8a-0d7f1e2a3b4c"),
        EpisodeVersion = 1,
        Events = events,
        Recipient = new RecipientPrivacyContext { RecipientId = "outreach-1", RequestedProfile = profile, PseudonymKey = RecipientKey, ActorRole = "PHA" },
        Agreements = agreements,
        OptedOut = optedOut,
        Now = Now,
    };

    private static List<SecurityLabel> Build(Action<List<SecurityLabel>> labels)
    {
        var list = new List<SecurityLabel>();
        labels(list);
        return list;
    }
}

/// <summary>Changes to the default test agreement.</summary>
internal sealed class AgreementOverrides
{
    public DateOnly? EffectiveFrom { get; set; }

    public DateOnly? ExpiresOn { get; set; }

    public bool AllowsMinors { get; set; }

    public string Purpose { get; set; } = "PUBHLTH";

    public string LegalBasis { get; set; } = "45 CFR 164.512(b)";
}
