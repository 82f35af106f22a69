using Hub.Contracts.Model;
using Hub.Deidentification.Methods;

namespace Hub.Deidentification.Disclosure;

/// <summary>The episode's events merged into one view: earliest time, best location, naloxone from any source.</summary>
internal sealed record MergedEpisode
{
    public required SubjectIdentity? Subject { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required EventLocation Location { get; init; }

    public required SubstanceClass Substance { get; init; }

    public required bool NaloxoneGiven { get; init; }

    public required int NaloxoneDoses { get; init; }

    public required MedicationResponse NaloxoneResponse { get; init; }

    public required bool? Fatal { get; init; }

    public required DispositionKind Disposition { get; init; }

    public required IReadOnlyList<CodedValue> Impressions { get; init; }

    public required IReadOnlyList<string> Definitions { get; init; }

    public required string? Narrative { get; init; }

    /// <summary>The first dispatch reason or call type any source gave that has the shape of a code (see <see cref="DispatchCodes"/>).</summary>
    public required string? DispatchReason { get; init; }

    public required IReadOnlyList<string> SourceAgencies { get; init; }

    public required IReadOnlyList<SourceKind> SourceKinds { get; init; }

    public required IReadOnlyList<SecurityLabel> Labels { get; init; }

    /// <summary>Age in years at the event, from the recorded age or the birth date.</summary>
    public int? AgeYears => Subject?.AgeYears ?? (Subject?.BirthDate is { } birth
        ? Methods.Dates.AgeAt(birth, DateOnly.FromDateTime(OccurredAt.DateTime))
        : null);
}

/// <summary>Merges the events of one episode (all source kinds and agencies).</summary>
internal static class EpisodeMerger
{
    public static MergedEpisode Merge(IReadOnlyList<OverdoseEvent> events)
    {
        var occurred = events[0].OccurredAt;
        var substance = SubstanceClass.Unknown;
        var naloxone = false;
        var doses = 0;
        var response = MedicationResponse.Unknown;
        bool? fatal = null;
        var disposition = DispositionKind.Unknown;
        DateTimeOffset dispositionAt = default;
        string? narrative = null;
        string? dispatch = null;
        var impressions = new List<CodedValue>();
        var definitions = new List<string>();
        var agencies = new List<string>();
        var kinds = new List<SourceKind>();
        var labels = new List<SecurityLabel>();
        EventLocation? best = null;

        foreach (var e in events)
        {
            if (e.OccurredAt < occurred)
            {
                occurred = e.OccurredAt;
            }

            var c = e.Clinical;
            if (Rank(c.Substance) > Rank(substance))
            {
                substance = c.Substance;
            }

            var naloxoneMedications = 0;
            foreach (var m in c.Medications)
            {
                if (!m.IsNaloxone)
                {
                    continue;
                }

                naloxoneMedications++;
                if (m.Response != MedicationResponse.Unknown && response != MedicationResponse.Improved)
                {
                    response = m.Response;
                }
            }

            naloxone |= c.NaloxoneGiven || naloxoneMedications > 0;
            doses = Math.Max(doses, Math.Max(c.NaloxoneDoses, naloxoneMedications));

            fatal = c.Fatal == true || fatal == true ? true : c.Fatal ?? fatal;
            if (c.Disposition != DispositionKind.Unknown && disposition != DispositionKind.Died
                && (disposition == DispositionKind.Unknown || c.Disposition == DispositionKind.Died || e.OccurredAt >= dispositionAt))
            {
                disposition = c.Disposition;
                dispositionAt = e.OccurredAt;
            }

            foreach (var i in c.Impressions)
            {
                if (!ContainsCode(impressions, i.System, i.Code))
                {
                    impressions.Add(i);
                }
            }

            AddDistinct(definitions, string.Concat(e.Detection.DefinitionId, "@", e.Detection.DefinitionVersion));
            AddDistinct(agencies, e.SourceAgencyId);
            if (!kinds.Contains(e.SourceKind))
            {
                kinds.Add(e.SourceKind);
            }

            foreach (var l in e.SecurityLabels)
            {
                if (!ContainsLabel(labels, l.System, l.Code))
                {
                    labels.Add(l);
                }
            }

            narrative ??= e.Narrative;
            dispatch ??= DispatchCodes.CodeOrNull(c.DispatchReason);

            if (!e.Location.Suppressed && (best is null || e.Location.Precision > best.Precision))
            {
                best = e.Location;
            }
        }

        return new MergedEpisode
        {
            Subject = MergeSubjects(events),
            OccurredAt = occurred,
            Location = FillCoarse(best, events),
            Substance = substance,
            NaloxoneGiven = naloxone || doses > 0,
            NaloxoneDoses = doses,
            NaloxoneResponse = response,
            Fatal = fatal,
            Disposition = disposition,
            Impressions = impressions,
            Definitions = definitions,
            Narrative = narrative,
            DispatchReason = dispatch,
            SourceAgencies = agencies,
            SourceKinds = kinds,
            Labels = labels,
        };
    }

    private static int Rank(SubstanceClass substance) => substance switch
    {
        SubstanceClass.Opioid => 3,
        SubstanceClass.Stimulant => 2,
        SubstanceClass.OtherDrug => 1,
        _ => 0,
    };

    private static bool ContainsCode(List<CodedValue> values, string? system, string? code)
    {
        foreach (var x in values)
        {
            if (x.System == system && x.Code == code)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsLabel(List<SecurityLabel> values, string? system, string? code)
    {
        foreach (var x in values)
        {
            if (x.System == system && x.Code == code)
            {
                return true;
            }
        }

        return false;
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    private static EventLocation FillCoarse(EventLocation? best, IReadOnlyList<OverdoseEvent> events)
    {
        if (best is null)
        {
            var anySuppressed = false;
            string? state = null;
            foreach (var e in events)
            {
                anySuppressed |= e.Location.Suppressed;
                state ??= e.Location.State;
            }

            return new EventLocation { Suppressed = anySuppressed, State = state, Precision = LocationPrecision.Unknown };
        }

        if (events.Count == 1)
        {
            return best; // the only location: nothing to fill in from others
        }

        // Each coarse field the best location lacks comes from the first other unsuppressed location that has it.
        var state2 = best.State ?? FirstOther(events, Coarse.State);
        var county = best.CountyFips ?? FirstOther(events, Coarse.County);
        var zip = best.Zip ?? FirstOther(events, Coarse.Zip);
        var city = best.City ?? FirstOther(events, Coarse.City);
        var tract = best.CensusTract ?? FirstOther(events, Coarse.Tract);
        if (ReferenceEquals(state2, best.State) && ReferenceEquals(county, best.CountyFips) && ReferenceEquals(zip, best.Zip)
            && ReferenceEquals(city, best.City) && ReferenceEquals(tract, best.CensusTract))
        {
            return best; // nothing to fill in
        }

        return best with { State = state2, CountyFips = county, Zip = zip, City = city, CensusTract = tract };
    }

    private enum Coarse
    {
        State,
        County,
        Zip,
        City,
        Tract,
    }

    private static string? FirstOther(IReadOnlyList<OverdoseEvent> events, Coarse field)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var l = events[i].Location;
            if (l.Suppressed)
            {
                continue;
            }

            var value = field switch
            {
                Coarse.State => l.State,
                Coarse.County => l.CountyFips,
                Coarse.Zip => l.Zip,
                Coarse.City => l.City,
                _ => l.CensusTract,
            };
            if (value is not null)
            {
                return value;
            }
        }

        return null;
    }

    private static SubjectIdentity? MergeSubjects(IReadOnlyList<OverdoseEvent> events)
    {
        SubjectIdentity? merged = null;
        foreach (var e in events)
        {
            if (e.Subject is not { } s)
            {
                continue;
            }

            merged = merged is null ? s : merged with
            {
                FamilyName = merged.FamilyName ?? s.FamilyName,
                GivenName = merged.GivenName ?? s.GivenName,
                MiddleName = merged.MiddleName ?? s.MiddleName,
                BirthDate = merged.BirthDate ?? s.BirthDate,
                AgeYears = merged.AgeYears ?? s.AgeYears,
                AgeAsRecorded = merged.AgeAsRecorded ?? s.AgeAsRecorded,
                Sex = merged.Sex ?? s.Sex,
                Phone = merged.Phone ?? s.Phone,
                HomeAddress = merged.HomeAddress ?? s.HomeAddress,
                MedicalRecordNumber = merged.MedicalRecordNumber ?? s.MedicalRecordNumber,
                SocialSecurityNumber = merged.SocialSecurityNumber ?? s.SocialSecurityNumber,
            };
        }

        return merged;
    }
}
