using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hub.Adapters.Feeds;
using Hub.Adapters.Nemsis.Detection;
using Hub.Contracts.Model;

namespace Hub.Adapters.Nemsis;

/// <summary>Maps a parsed PCR and its definition match to the canonical <see cref="OverdoseEvent"/>.</summary>
internal sealed class NemsisEventMapper
{
    private readonly FeedOptions feed;
    private readonly TimeZoneInfo timeZone;

    public NemsisEventMapper(FeedOptions feed, TimeZoneInfo timeZone)
    {
        this.feed = feed;
        this.timeZone = timeZone;
    }

    /// <summary>A stable id for a feed and source record: hex of the first 16 bytes of SHA-256(feedId|sourceRecordId). No PHI.</summary>
    public static string EventIdOf(string feedId, string sourceRecordId)
    {
        var bytes = Encoding.UTF8.GetBytes(feedId + "|" + sourceRecordId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>Builds the event, or returns a reject reason when a required fact (a time) is missing.</summary>
    public OverdoseEvent? Map(NemsisPcr pcr, NemsisMatch match, SourceDocument source, List<string> warnings, out string? rejectReason)
    {
        rejectReason = null;
        var timeline = new EventTimeline
        {
            CallReceivedAt = ParseTime(pcr.PsapCallTime, "eTimes.01", warnings),
            DispatchedAt = ParseTime(pcr.UnitNotifiedTime, "eTimes.03", warnings),
            ArrivedOnSceneAt = ParseTime(pcr.ArrivedOnSceneTime, "eTimes.06", warnings),
            PatientContactAt = ParseTime(pcr.ArrivedAtPatientTime, "eTimes.07", warnings),
        };

        // The event's time is the first the source recorded: the PSAP call, else unit notified, patient contact, on scene.
        var occurredAt = timeline.CallReceivedAt ?? timeline.DispatchedAt ?? timeline.PatientContactAt ?? timeline.ArrivedOnSceneAt;
        if (occurredAt is null)
        {
            rejectReason = "no usable time: eTimes.01 (PSAP call), eTimes.03 (unit notified), eTimes.06 and eTimes.07 are all missing or unparsable";
            return null;
        }

        var identifiers = new List<RecordIdentifier>(4);
        AddIdentifier(identifiers, "incident-number", pcr.IncidentNumber);
        AddIdentifier(identifiers, "response-number", pcr.ResponseNumber);
        AddIdentifier(identifiers, "pcr-uuid", pcr.Uuid);
        AddIdentifier(identifiers, "agency-number", pcr.AgencyNumber);

        var medications = MapMedications(pcr, warnings);
        var naloxoneDoses = 0;
        foreach (var medication in medications)
        {
            if (medication.IsNaloxone)
            {
                naloxoneDoses++;
            }
        }

        var (disposition, dispositionCodes, dispositionText) = MapDisposition(pcr);
        var clinical = new ClinicalFacts
        {
            Substance = match.Substance,
            NaloxoneGiven = naloxoneDoses > 0,
            NaloxoneDoses = naloxoneDoses,
            Medications = medications,
            Impressions = Codes(pcr, "eSituation.11", "eSituation.12"),
            Symptoms = Codes(pcr, "eSituation.09", "eSituation.10"),
            DispatchReason = Clean(pcr.DispatchReason),
            Fatal = Fatal(pcr),
            Disposition = disposition,
            DispositionCodes = dispositionCodes,
            DispositionText = dispositionText,
            AbsentValues = AbsentValues(pcr.Absent),
        };

        return new OverdoseEvent
        {
            EventId = EventIdOf(feed.Id, pcr.RecordNumber!),
            SourceKind = SourceKind.Ems,
            FeedId = feed.Id,
            SourceAgencyId = feed.AgencyId,
            SourceRecordId = pcr.RecordNumber!,
            OccurredAt = occurredAt.Value,
            Timeline = timeline,
            RecordIdentifiers = identifiers,
            Location = MapLocation(pcr, warnings),
            Subject = MapSubject(pcr, occurredAt.Value, warnings),
            Clinical = clinical,
            Detection = new DetectionResult
            {
                DefinitionId = match.Definition.Id,
                DefinitionVersion = match.Definition.Version,
                Evidence = match.Evidence,
            },
            Provenance = new Provenance
            {
                Source = source.Name,
                Sha256 = source.Sha256,
                Line = pcr.Line,
                Path = pcr.Path,
                ReceivedAtUtc = source.ReceivedAtUtc,
            },
            Narrative = feed.KeepNarrative ? Clean(pcr.Narrative) : null,
            Warnings = warnings.ToArray(),
        };
    }

    /// <summary>Parses an xs:dateTime; one without an offset is read in the feed's time zone.</summary>
    internal DateTimeOffset? ParseTime(string? text, string element, List<string> warnings)
    {
        var value = Clean(text);
        if (value is null)
        {
            return null;
        }

        if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            warnings.Add($"{element}: not an xs:dateTime");
            return null;
        }

        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            return new DateTimeOffset(parsed, timeZone.GetUtcOffset(parsed));
        }

        // Keep the offset as written (DateTime.TryParse converts to local time, which loses it).
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset)
            ? withOffset
            : new DateTimeOffset(parsed.ToUniversalTime());
    }

    private static AbsentValue[] AbsentValues(List<NemsisAbsent> absent)
    {
        if (absent.Count == 0)
        {
            return [];
        }

        var values = new AbsentValue[absent.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = absent[i].ToAbsentValue();
        }

        return values;
    }

    private static void AddIdentifier(List<RecordIdentifier> list, string kind, string? value)
    {
        if (Clean(value) is { } v)
        {
            list.Add(new RecordIdentifier { Kind = kind, Value = v });
        }
    }

    private static List<CodedValue> Codes(NemsisPcr pcr, string first, string second)
    {
        var list = new List<CodedValue>();
        foreach (var pass in (ReadOnlySpan<string>)[first, second])
        {
            foreach (var value in pcr.Situation)
            {
                if (value.PertinentNegative is null && string.Equals(value.Element, pass, StringComparison.Ordinal))
                {
                    var code = Icd10Code.Normalize(value.Value);
                    if (code.Length > 0)
                    {
                        list.Add(new CodedValue { System = "ICD-10-CM", Code = code, Element = value.Element });
                    }
                }
            }
        }

        return list;
    }

    private List<MedicationGiven> MapMedications(NemsisPcr pcr, List<string> warnings)
    {
        var list = new List<MedicationGiven>(pcr.Medications.Count);
        foreach (var group in pcr.Medications)
        {
            // A PN on eMedications.03 (refused, contraindicated, unable to complete...) means it was not given.
            if (Clean(group.Code) is not { } code || group.CodePertinentNegative is not null)
            {
                continue;
            }

            decimal? dose = null;
            if (Clean(group.Dose) is { } doseText)
            {
                if (decimal.TryParse(doseText, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    dose = d;
                }
                else
                {
                    warnings.Add("eMedications.05: not a number");
                }
            }

            list.Add(new MedicationGiven
            {
                Medication = new CodedValue { System = CodeSystemOf(group.CodeType), Code = code, Element = "eMedications.03" },
                AdministeredAt = ParseTime(group.Time, "eMedications.01", warnings),
                GivenPriorToEmsCare = string.Equals(Clean(group.PriorToEms), "9923003", StringComparison.Ordinal),
                Dose = dose,
                DoseUnit = Clean(group.DoseUnit),
                Route = Clean(group.Route),
                Response = Clean(group.Response) switch
                {
                    "9916001" => MedicationResponse.Improved,
                    "9916003" => MedicationResponse.Unchanged,
                    "9916005" => MedicationResponse.Worse,
                    _ => MedicationResponse.Unknown,
                },
                AdministeredByRole = Clean(group.Role),
                IsNaloxone = IsNaloxone(code),
            });
        }

        return list;
    }

    internal static bool IsNaloxone(string code)
    {
        foreach (var c in NemsisCaseDefinitions.NaloxoneCodes)
        {
            if (string.Equals(c, code, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string CodeSystemOf(string? codeType) => Clean(codeType) switch
    {
        "9924001" => "ICD-10-CM",
        "9924005" => "SNOMED-CT",
        _ => "RxNorm",
    };

    private static (DispositionKind Kind, IReadOnlyList<string> Codes, string? Text) MapDisposition(NemsisPcr pcr)
    {
        var codes = new List<string>(pcr.Dispositions.Count);
        string? transport = null;
        string? evaluation = null;
        foreach (var d in pcr.Dispositions)
        {
            if (Clean(d.Value) is not { } value)
            {
                continue;
            }

            codes.Add(d.Element + "=" + value);
            if (d.Element == "eDisposition.30")
            {
                transport ??= value;
            }
            else if (d.Element == "eDisposition.28")
            {
                evaluation ??= value;
            }
        }

        if (Died(pcr))
        {
            return (DispositionKind.Died, codes, null);
        }

        switch (transport)
        {
            case "4230001" or "4230003" or "4230005" or "4230007":
                return (DispositionKind.Transported, codes, null);
            case "4230009":
                return (DispositionKind.RefusedTransport, codes, null);
            case "4230013":
                return (DispositionKind.NoTransport, codes, null);
            case not null:
                return (DispositionKind.Other, codes, "eDisposition.30=" + transport);
        }

        return evaluation is "4228003" or "4228007"
            ? (DispositionKind.RefusedTransport, codes, null)
            : (DispositionKind.Unknown, codes, null);
    }

    /// <summary>Dead: expired in the field (eArrest.18 3018003) or released dead (eDisposition.19 4219007/4219009).</summary>
    private static bool Died(NemsisPcr pcr) =>
        Clean(pcr.ArrestOutcome) == "3018003" || Clean(pcr.FinalAcuity) is "4219007" or "4219009";

    /// <summary>True when dead (in the field, in the ED, or released dead); false when no cardiac arrest was recorded; else unknown.</summary>
    private static bool? Fatal(NemsisPcr pcr)
    {
        if (Died(pcr) || Clean(pcr.ArrestOutcome) == "3018001")
        {
            return true;
        }

        return Clean(pcr.CardiacArrest) == "3001001" ? false : null;
    }

    private static EventLocation MapLocation(NemsisPcr pcr, List<string> warnings)
    {
        double? lat = null, lon = null;
        if (Clean(pcr.SceneGps) is { } gps)
        {
            var comma = gps.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0
                && double.TryParse(gps.AsSpan(0, comma), NumberStyles.Float, CultureInfo.InvariantCulture, out var la)
                && double.TryParse(gps.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
                && la is >= -90 and <= 90 && lo is >= -180 and <= 180)
            {
                lat = la;
                lon = lo;
            }
            else
            {
                warnings.Add("eScene.11: not a 'latitude,longitude' pair");
            }
        }

        var street = Clean(pcr.SceneStreet);
        var city = Clean(pcr.SceneCity);
        var state = Clean(pcr.SceneState);
        var zip = Clean(pcr.SceneZip);
        var county = Clean(pcr.SceneCounty);
        var tract = Clean(pcr.SceneCensusTract);
        var precision = lat is not null ? LocationPrecision.Point
            : street is not null ? LocationPrecision.Address
            : tract is not null ? LocationPrecision.CensusTract
            : city is not null ? LocationPrecision.Municipality
            : zip is not null ? LocationPrecision.Zip
            : county is not null ? LocationPrecision.County
            : state is not null ? LocationPrecision.State
            : LocationPrecision.Unknown;
        return new EventLocation
        {
            Precision = precision,
            StreetAddress = street,
            City = city,
            State = state,
            Zip = zip,
            CountyFips = county,
            CensusTract = tract,
            Latitude = lat,
            Longitude = lon,
            LocationType = Clean(pcr.SceneLocationType),
        };
    }

    private static SubjectIdentity? MapSubject(NemsisPcr pcr, DateTimeOffset occurredAt, List<string> warnings)
    {
        DateOnly? birthDate = null;
        if (Clean(pcr.BirthDate) is { } dob)
        {
            if (DateOnly.TryParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                birthDate = d;
            }
            else
            {
                warnings.Add("ePatient.17: not an xs:date");
            }
        }

        int? ageYears = null;
        string? ageAsRecorded = null;
        if (Clean(pcr.Age) is { } ageText && int.TryParse(ageText, NumberStyles.None, CultureInfo.InvariantCulture, out var age))
        {
            var unit = Clean(pcr.AgeUnits);
            switch (unit)
            {
                case "2516009":
                    ageYears = age;
                    break;
                case "2516007":
                    ageYears = age / 12;
                    ageAsRecorded = age.ToString(CultureInfo.InvariantCulture) + " months";
                    break;
                case "2516001":
                    ageYears = age / 365;
                    ageAsRecorded = age.ToString(CultureInfo.InvariantCulture) + " days";
                    break;
                case "2516003":
                    ageYears = 0;
                    ageAsRecorded = age.ToString(CultureInfo.InvariantCulture) + " hours";
                    break;
                case "2516005":
                    ageYears = 0;
                    ageAsRecorded = age.ToString(CultureInfo.InvariantCulture) + " minutes";
                    break;
                default:
                    ageAsRecorded = age.ToString(CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (ageYears is null && birthDate is { } born)
        {
            var on = DateOnly.FromDateTime(occurredAt.DateTime);
            var years = on.Year - born.Year - (on < born.AddYears(on.Year - born.Year) ? 1 : 0);
            ageYears = years >= 0 ? years : null;
        }

        var sex = Clean(pcr.Sex) switch
        {
            "9919001" => "female",
            "9919003" => "male",
            "9919005" => "unknown",
            _ => Clean(pcr.Gender) switch
            {
                "9906001" => "female",
                "9906003" => "male",
                "9906005" => "unknown",
                "9906007" or "9906009" or "9906011" => "other",
                _ => null,
            },
        };

        var home = new PostalAddress
        {
            Street = Clean(pcr.HomeStreet),
            City = Clean(pcr.HomeCity),
            CountyFips = Clean(pcr.HomeCounty),
            State = Clean(pcr.HomeState),
            Zip = Clean(pcr.HomeZip),
        };
        var hasHome = home.Street is not null || home.City is not null || home.CountyFips is not null || home.State is not null || home.Zip is not null;
        var subject = new SubjectIdentity
        {
            FamilyName = Clean(pcr.LastName),
            GivenName = Clean(pcr.FirstName),
            MiddleName = Clean(pcr.MiddleName),
            BirthDate = birthDate,
            AgeYears = ageYears,
            AgeAsRecorded = ageAsRecorded,
            Sex = sex,
            Phone = Clean(pcr.Phone),
            HomeAddress = hasHome ? home : null,
        };
        var empty = subject.FamilyName is null && subject.GivenName is null && subject.MiddleName is null && birthDate is null
            && ageYears is null && ageAsRecorded is null && sex is null && subject.Phone is null && !hasHome;
        return empty ? null : subject;
    }

    internal static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }
}
