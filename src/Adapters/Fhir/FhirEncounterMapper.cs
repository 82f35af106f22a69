using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir.Model;
using Hub.Contracts.Model;

namespace Hub.Adapters.Fhir;

/// <summary>Everything the mapper needs about the feed and the input, fixed for one read.</summary>
internal sealed record FhirReadContext(FeedOptions Feed, FhirClassifier Classifier, TimeZoneInfo TimeZone, SourceDocument Source);

/// <summary>Where an Encounter stood in its input.</summary>
/// <param name="BasePath">FHIRPath-like location of the Encounter, e.g. <c>Bundle.entry[3].resource</c> or <c>Encounter</c>.</param>
/// <param name="FileName">File it was read from.</param>
/// <param name="Line">1-based NDJSON line, when read from NDJSON.</param>
/// <param name="FullUrl">Bundle entry fullUrl, used as id when the Encounter has none.</param>
internal sealed record EncounterSite(string BasePath, string FileName, int? Line, string? FullUrl);

/// <summary>
/// Turns one emergency Encounter and what it references into exactly one outcome: an overdose event, a counted
/// non-event, or a reject whose reason never quotes a value and whose location is a FHIR path.
/// </summary>
internal static class FhirEncounterMapper
{
    private const string LoincSystem = "http://loinc.org";
    private const string ChiefComplaintLoinc = "8661-1";

    /// <summary>True for class EMER or an ED encounter type (SNOMED 50849002, 4525004).</summary>
    public static bool IsEmergency(Encounter encounter)
    {
        ArgumentNullException.ThrowIfNull(encounter);
        if (string.Equals(encounter.Class?.Code, "EMER", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var type in encounter.Type ?? [])
        {
            foreach (var coding in type.Coding ?? [])
            {
                if (coding.System == FhirCaseDefinitions.SnomedSystem && coding.Code is "50849002" or "4525004")
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static RecordOutcome Map(Encounter encounter, EncounterSite site, FhirResourceIndex index, FhirReadContext context, IReadOnlyList<Coding>? inputSecurity)
    {
        var id = encounter.Id ?? UuidOf(site.FullUrl);
        if (string.IsNullOrEmpty(id))
        {
            return Reject(null, "Encounter has neither an id nor a urn:uuid fullUrl", site, "id");
        }

        var sourceRecordId = "Encounter/" + id;
        var warnings = new List<string>();

        // Subject.
        Patient? patient = null;
        switch (index.Resolve(encounter.Subject, encounter, out var subject))
        {
            case ReferenceStatus.Found when subject is Patient p:
                patient = p;
                break;
            case ReferenceStatus.Found:
                return Reject(sourceRecordId, "Encounter.subject refers to a " + subject!.ResourceType + ", not a Patient", site, "subject");
            case ReferenceStatus.Empty:
                return Reject(sourceRecordId, "Encounter.subject is missing", site, "subject");
            case ReferenceStatus.TypeAbsent:
                warnings.Add(At(site, "subject") + ": the input holds no Patient resources; event has no subject");
                break;
            case ReferenceStatus.Ambiguous:
                return Reject(sourceRecordId, "Encounter.subject: conditional reference matches more than one Patient", site, "subject");
            default:
                return Reject(sourceRecordId, "Encounter.subject: no Patient with that reference in the input", site, "subject");
        }

        // Time.
        var start = encounter.Period?.Start ?? encounter.Period?.End;
        if (start is null)
        {
            return Reject(sourceRecordId, "Encounter.period.start is missing", site, "period.start");
        }

        if (!TryParseDateTime(start, context.TimeZone, out var occurredAt, out var floating))
        {
            return Reject(sourceRecordId, "Encounter.period.start is not a FHIR dateTime", site, "period.start");
        }

        if (floating)
        {
            warnings.Add(At(site, "period.start") + ": time without UTC offset, read in the feed's time zone");
        }

        var codes = new List<FoundCode>();
        var complaints = new List<string>();
        var labels = new List<Coding>();
        AddLabels(labels, inputSecurity);
        AddLabels(labels, encounter.Meta?.Security);
        AddLabels(labels, patient?.Meta?.Security);
        var seen = new HashSet<Resource>(ReferenceEqualityComparer.Instance);

        // Encounter.diagnosis, ranked first.
        var diagnoses = encounter.Diagnosis ?? [];
        var order = new int[diagnoses.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (order.Length > 1)
        {
            // Stable: equal ranks keep document order.
            Array.Sort(order, (a, b) => (diagnoses[a].Rank ?? int.MaxValue).CompareTo(diagnoses[b].Rank ?? int.MaxValue) is var c and not 0 ? c : a.CompareTo(b));
        }

        foreach (var i in order)
        {
            var element = Indexed(DiagnosisElements, "diagnosis[", i, "].condition");
            var status = index.Resolve(diagnoses[i].Condition, encounter, out var target);
            if (Problem(status, target, "Condition", sourceRecordId, site, element, warnings) is { } reject)
            {
                return reject;
            }

            if (target is Condition condition && seen.Add(condition))
            {
                AddCondition(codes, labels, condition, Indexed(EncounterDiagnosisElements, "Encounter.diagnosis[", i, "].condition"));
            }
        }

        // Encounter.reasonReference.
        var reasons = encounter.ReasonReference ?? [];
        for (var i = 0; i < reasons.Count; i++)
        {
            var element = Indexed(ReasonReferenceElements, "reasonReference[", i, "]");
            var status = index.Resolve(reasons[i], encounter, out var target);
            var type = FhirResourceIndex.TypeOf(reasons[i]);
            if (type is "Condition" or "Observation" or null && Problem(status, target, type ?? "Condition", sourceRecordId, site, element, warnings) is { } reject)
            {
                return reject;
            }

            if (target is Condition condition && seen.Add(condition))
            {
                AddCondition(codes, labels, condition, Indexed(EncounterReasonElements, "Encounter.reasonReference[", i, "]"));
            }
            else if (target is Observation observation && seen.Add(observation))
            {
                AddObservation(codes, complaints, labels, observation, Indexed(EncounterReasonElements, "Encounter.reasonReference[", i, "]"));
            }
        }

        // Encounter.reasonCode (codes and chief-complaint text).
        var reasonCodes = encounter.ReasonCode ?? [];
        for (var i = 0; i < reasonCodes.Count; i++)
        {
            AddConcept(codes, reasonCodes[i], Indexed(ReasonCodeElements, "Encounter.reasonCode[", i, "]"));
            if (!string.IsNullOrWhiteSpace(reasonCodes[i].Text))
            {
                complaints.Add(reasonCodes[i].Text!);
            }
        }

        // Resources that point at the Encounter.
        var medications = new List<MedicationGiven>();
        var naloxone = new List<FoundCode>();
        foreach (var linked in index.LinkedTo(encounter))
        {
            if (!seen.Add(linked))
            {
                continue;
            }

            switch (linked)
            {
                case Condition condition:
                    AddCondition(codes, labels, condition, "Condition.code");
                    break;
                case Observation observation:
                    AddObservation(codes, complaints, labels, observation, "Observation");
                    break;
                case MedicationAdministration administration:
                    if (AddMedication(medications, naloxone, labels, index, context, administration, administration.Status, administration.MedicationCodeableConcept, administration.MedicationReference, administration.EffectiveDateTime ?? administration.EffectivePeriod?.Start, administration.Dosage, false, out var problem) is false)
                    {
                        warnings.Add(problem!);
                    }

                    break;
                case MedicationStatement statement:
                    if (AddMedication(medications, naloxone, labels, index, context, statement, statement.Status, statement.MedicationCodeableConcept, statement.MedicationReference, statement.EffectiveDateTime ?? statement.EffectivePeriod?.Start, null, true, out var statementProblem) is false)
                    {
                        warnings.Add(statementProblem!);
                    }

                    break;
            }
        }

        var classification = context.Classifier.Classify(codes, complaints, naloxone);
        if (!classification.IsOverdose)
        {
            return new RecordOutcome
            {
                Kind = RecordOutcomeKind.NotOverdose,
                SourceRecordId = sourceRecordId,
                Definition = classification.Definition.Key,
                Warnings = warnings,
            };
        }

        var consents = patient is null ? [] : ConsentSignals(index.ConsentsOf(patient), labels, context.TimeZone);
        var (disposition, dispositionCodes, dispositionText, fatal) = Disposition(encounter);
        var evt = new OverdoseEvent
        {
            EventId = EventIdOf(context.Feed.Id, sourceRecordId),
            SourceKind = SourceKind.EmergencyDepartment,
            FeedId = context.Feed.Id,
            SourceAgencyId = context.Feed.AgencyId,
            SourceRecordId = sourceRecordId,
            OccurredAt = occurredAt,
            Timeline = new EventTimeline
            {
                PatientContactAt = occurredAt,
                ClosedAt = encounter.Period?.End is { } end && TryParseDateTime(end, context.TimeZone, out var ended, out _) ? ended : null,
            },
            RecordIdentifiers = RecordIdentifiers(encounter),
            Location = LocationOf(patient, encounter, index),
            Subject = patient is null ? null : SubjectOf(patient, occurredAt),
            Clinical = new ClinicalFacts
            {
                Substance = classification.Substance,
                NaloxoneGiven = naloxone.Count > 0,
                NaloxoneDoses = NaloxoneDoses(medications),
                Medications = medications,
                Impressions = Impressions(codes),
                Disposition = disposition,
                DispositionCodes = dispositionCodes,
                DispositionText = dispositionText,
                Fatal = fatal,
            },
            Detection = new DetectionResult
            {
                DefinitionId = classification.Definition.Id,
                DefinitionVersion = classification.Definition.Version,
                Evidence = classification.Evidence,
            },
            ConsentSignals = consents,
            SecurityLabels = SecurityLabels(labels),
            Provenance = new Provenance
            {
                Source = site.FileName,
                Sha256 = context.Source.Sha256,
                Line = site.Line,
                Path = site.BasePath,
                ReceivedAtUtc = context.Source.ReceivedAtUtc,
            },
            Narrative = context.Feed.KeepNarrative && complaints.Count > 0 ? string.Join(" | ", complaints) : null,
            Warnings = warnings,
        };

        return new RecordOutcome
        {
            Kind = RecordOutcomeKind.Overdose,
            SourceRecordId = sourceRecordId,
            Definition = classification.Definition.Key,
            Event = evt,
            Warnings = warnings,
        };
    }

    private static readonly string[] DiagnosisElements = Elements("diagnosis[", "].condition");
    private static readonly string[] EncounterDiagnosisElements = Elements("Encounter.diagnosis[", "].condition");
    private static readonly string[] ReasonReferenceElements = Elements("reasonReference[", "]");
    private static readonly string[] EncounterReasonElements = Elements("Encounter.reasonReference[", "]");
    private static readonly string[] ReasonCodeElements = Elements("Encounter.reasonCode[", "]");

    /// <summary>The element names of the first few indexes, made once (they end up in every event's evidence).</summary>
    private static string[] Elements(string prefix, string suffix) =>
        [.. Enumerable.Range(0, 8).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture) + suffix)];

    private static string Indexed(string[] cached, string prefix, int index, string suffix) =>
        index < cached.Length ? cached[index] : prefix + index.ToString(CultureInfo.InvariantCulture) + suffix;

    private static int NaloxoneDoses(List<MedicationGiven> medications)
    {
        var doses = 0;
        foreach (var medication in medications)
        {
            doses += medication.IsNaloxone && !medication.GivenPriorToEmsCare ? 1 : 0;
        }

        return doses;
    }

    private static List<CodedValue> Impressions(List<FoundCode> codes)
    {
        var impressions = new List<CodedValue>(codes.Count);
        foreach (var c in codes)
        {
            impressions.Add(new CodedValue { System = c.System, Code = c.Code, Display = c.Display, Element = c.Element });
        }

        return impressions;
    }

    /// <summary>Labels with a code, first occurrence of each (system, code) kept, in order.</summary>
    private static List<SecurityLabel> SecurityLabels(List<Coding> labels)
    {
        var result = new List<SecurityLabel>(labels.Count);
        foreach (var label in labels)
        {
            if (label.Code is not { } code)
            {
                continue;
            }

            var system = label.System ?? "";
            var seen = false;
            foreach (var kept in result)
            {
                seen |= kept.System == system && kept.Code == code;
            }

            if (!seen)
            {
                result.Add(new SecurityLabel { System = system, Code = code });
            }
        }

        return result;
    }

    /// <summary>Deterministic, PHI-free event id: <c>ed-</c> + 32 hex of SHA-256(feed id, source record id).</summary>
    public static string EventIdOf(string feedId, string sourceRecordId)
    {
        // Same bytes as SHA-256(UTF-8(feedId + "\n" + sourceRecordId)), without the intermediate strings and arrays.
        var length = Encoding.UTF8.GetByteCount(feedId) + 1 + Encoding.UTF8.GetByteCount(sourceRecordId);
        var rented = length <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        var input = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        var written = Encoding.UTF8.GetBytes(feedId, input);
        input[written++] = (byte)'\n';
        Encoding.UTF8.GetBytes(sourceRecordId, input[written..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        Span<char> chars = stackalloc char[35];
        "ed-".CopyTo(chars);
        Convert.TryToHexStringLower(hash[..16], chars[3..], out _);
        return new string(chars);
    }

    /// <summary>Parses a FHIR date or dateTime; dates and offset-less times are read in <paramref name="zone"/>.</summary>
    public static bool TryParseDateTime(string text, TimeZoneInfo zone, out DateTimeOffset value, out bool floating)
    {
        floating = false;
        value = default;
        if (TryParseStrict(text, zone, out value, out floating))
        {
            return true;
        }

        if (text.Length <= 10)
        {
            string[] formats = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];
            if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return false;
            }

            value = new DateTimeOffset(date, zone.GetUtcOffset(date));
            return true;
        }

        var t = text.IndexOf('T', StringComparison.Ordinal);
        var hasOffset = t > 0 && (text.EndsWith('Z') || text.IndexOf('+', t) > 0 || text.IndexOf('-', t) > 0);
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        floating = true;
        value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local));
        return true;
    }

    /// <summary>
    /// The common FHIR shapes without the culture-aware parser: <c>YYYY-MM-DD</c> and <c>YYYY-MM-DDThh:mm:ss[.f+](Z|±hh:mm)</c>
    /// (and the same without offset, read in <paramref name="zone"/>). Anything else falls back to the general parser.
    /// </summary>
    private static bool TryParseStrict(string text, TimeZoneInfo zone, out DateTimeOffset value, out bool floating)
    {
        value = default;
        floating = false;
        var s = text.AsSpan();
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (s.Length == 10)
        {
            var date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
            value = new DateTimeOffset(date, zone.GetUtcOffset(date));
            return true;
        }

        if (s.Length < 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var i = 19;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var scale = TimeSpan.TicksPerSecond;
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                scale /= 10;
                fractionTicks += (s[i] - '0') * scale;
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        if (i == s.Length)
        {
            floating = true;
            value = new DateTimeOffset(local, zone.GetUtcOffset(local));
            return true;
        }

        TimeSpan offset;
        if (s[i] == 'Z' && i + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if ((s[i] == '+' || s[i] == '-') && i + 6 == s.Length && s[i + 3] == ':'
            && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om) && ((oh < 14 && om <= 59) || (oh == 14 && om == 0)))
        {
            offset = new TimeSpan(oh, om, 0);
            if (s[i] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int number)
    {
        number = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            number = (number * 10) + (s[i] - '0');
        }

        return true;
    }

    private static RecordOutcome? Problem(ReferenceStatus status, Resource? target, string expectedType, string sourceRecordId, EncounterSite site, string element, List<string> warnings)
    {
        switch (status)
        {
            case ReferenceStatus.Found when target is not null && target.ResourceType != expectedType && expectedType == "Condition" && target is not Observation:
                return Reject(sourceRecordId, $"Encounter.{StripIndex(element)} refers to a {target.ResourceType}, not a {expectedType}", site, element);
            case ReferenceStatus.NotFound:
                return Reject(sourceRecordId, $"Encounter.{StripIndex(element)}: no {expectedType} with that reference in the input", site, element);
            case ReferenceStatus.Ambiguous:
                return Reject(sourceRecordId, $"Encounter.{StripIndex(element)}: conditional reference matches more than one {expectedType}", site, element);
            case ReferenceStatus.TypeAbsent:
                warnings.Add(At(site, element) + $": the input holds no {expectedType} resources (partial export)");
                return null;
            default:
                return null;
        }
    }

    private static string StripIndex(string element)
    {
        var builder = new StringBuilder(element.Length);
        var skip = false;
        foreach (var c in element)
        {
            if (c == '[')
            {
                skip = true;
            }
            else if (c == ']')
            {
                skip = false;
            }
            else if (!skip)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static RecordOutcome Reject(string? sourceRecordId, string reason, EncounterSite site, string element) =>
        RecordOutcome.Rejected(sourceRecordId, reason, At(site, element));

    private static string At(EncounterSite site, string element) =>
        site.Line is { } line ? $"{site.FileName} line {line}, {site.BasePath}.{element}" : $"{site.BasePath}.{element}";

    private static string? UuidOf(string? fullUrl) =>
        fullUrl is not null && fullUrl.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? fullUrl[9..] : null;

    private static void AddLabels(List<Coding> labels, IReadOnlyList<Coding>? security)
    {
        if (security is { Count: > 0 })
        {
            for (var i = 0; i < security.Count; i++)
            {
                labels.Add(security[i]);
            }
        }
    }

    private static void AddCondition(List<FoundCode> codes, List<Coding> labels, Condition condition, string element)
    {
        var verification = condition.VerificationStatus?.Coding?.FirstOrDefault()?.Code;
        if (verification is "refuted" or "entered-in-error")
        {
            return;
        }

        AddLabels(labels, condition.Meta?.Security);
        if (condition.Code is not null)
        {
            AddConcept(codes, condition.Code, element);
        }
    }

    private static void AddObservation(List<FoundCode> codes, List<string> complaints, List<Coding> labels, Observation observation, string element)
    {
        if (observation.Status is "entered-in-error" or "cancelled")
        {
            return;
        }

        AddLabels(labels, observation.Meta?.Security);
        var isComplaint = observation.Code?.Coding?.Exists(c => c.System == LoincSystem && c.Code == ChiefComplaintLoinc) == true;
        if (isComplaint)
        {
            var text = observation.ValueString ?? observation.ValueCodeableConcept?.Text;
            if (!string.IsNullOrWhiteSpace(text))
            {
                complaints.Add(text);
            }

            if (observation.ValueCodeableConcept is not null)
            {
                AddConcept(codes, observation.ValueCodeableConcept, element + ".valueCodeableConcept");
            }
        }
    }

    private static void AddConcept(List<FoundCode> codes, CodeableConcept concept, string element)
    {
        foreach (var coding in concept.Coding ?? [])
        {
            if (string.IsNullOrWhiteSpace(coding.Code))
            {
                continue;
            }

            if (coding.System == FhirCaseDefinitions.Icd10CmSystem)
            {
                codes.Add(new FoundCode("ICD-10-CM", FhirClassifier.NormalizeIcd(coding.Code), coding.Display, element));
            }
            else if (coding.System == FhirCaseDefinitions.SnomedSystem)
            {
                codes.Add(new FoundCode("SNOMED-CT", coding.Code.Trim(), coding.Display, element));
            }
        }
    }

    private static bool AddMedication(
        List<MedicationGiven> medications,
        List<FoundCode> naloxone,
        List<Coding> labels,
        FhirResourceIndex index,
        FhirReadContext context,
        Resource resource,
        string? status,
        CodeableConcept? concept,
        ResourceReference? reference,
        string? effective,
        MedicationAdministrationDosage? dosage,
        bool statement,
        out string? problem)
    {
        problem = null;
        if (status is "not-done" or "entered-in-error" or "not-taken" or "stopped" && !statement || status is "entered-in-error" or "not-taken")
        {
            return true;
        }

        AddLabels(labels, resource.Meta?.Security);
        var element = resource.ResourceType + (concept is not null ? ".medicationCodeableConcept" : ".medicationReference");
        if (concept is null && reference is not null)
        {
            var status2 = index.Resolve(reference, resource, out var target);
            if (status2 == ReferenceStatus.Found && target is Medication medication)
            {
                concept = medication.Code;
                AddLabels(labels, medication.Meta?.Security);
            }
            else if (status2 is not ReferenceStatus.Empty)
            {
                problem = $"{resource.ResourceType}.medicationReference: no Medication with that reference in the input";
                return false;
            }
        }

        var coding = concept?.Coding?.Find(c => c.System == FhirCaseDefinitions.RxNormSystem && c.Code is not null)
            ?? concept?.Coding?.Find(c => c.Code is not null);
        if (coding is null)
        {
            return true;
        }

        var isNaloxone = concept!.Coding!.Exists(c => context.Classifier.IsNaloxone(c.System, c.Code));
        DateTimeOffset? at = effective is not null && TryParseDateTime(effective, context.TimeZone, out var when, out _) ? when : null;
        var system = coding.System == FhirCaseDefinitions.RxNormSystem ? "RxNorm" : coding.System ?? "";
        medications.Add(new MedicationGiven
        {
            Medication = new CodedValue { System = system, Code = coding.Code!, Display = coding.Display, Element = element },
            AdministeredAt = at,
            GivenPriorToEmsCare = statement,
            Dose = dosage?.Dose?.Value,
            DoseUnit = dosage?.Dose?.Unit ?? dosage?.Dose?.Code,
            Route = dosage?.Route?.Coding?.FirstOrDefault()?.Code,
            IsNaloxone = isNaloxone,
        });
        if (isNaloxone)
        {
            naloxone.Add(new FoundCode("RxNorm", coding.Code!, coding.Display, element));
        }

        return true;
    }

    private static List<ConsentSignal> ConsentSignals(IReadOnlyList<Consent> consents, List<Coding> labels, TimeZoneInfo zone)
    {
        var signals = new List<ConsentSignal>();
        foreach (var consent in consents)
        {
            if (!string.Equals(consent.Status, "active", StringComparison.Ordinal) || consent.Provision is null)
            {
                continue;
            }

            AddLabels(labels, consent.Meta?.Security);
            AddProvision(signals, consent, consent.Provision, "permit", zone);
        }

        return signals;
    }

    private static void AddProvision(List<ConsentSignal> signals, Consent consent, ConsentProvision provision, string inheritedType, TimeZoneInfo zone)
    {
        var type = provision.Type ?? inheritedType;
        DateTimeOffset? start = provision.Period?.Start is { } s && TryParseDateTime(s, zone, out var a, out _) ? a : null;
        DateTimeOffset? end = provision.Period?.End is { } e && TryParseDateTime(e, zone, out var b, out _) ? b : null;
        var actors = new List<string>();
        foreach (var actor in provision.Actor ?? [])
        {
            actors.AddRange(actor.Role?.Coding?.Where(c => c.Code is not null).Select(c => c.Code!) ?? []);
            if (actor.Reference?.Reference is { } r && r.StartsWith("Organization/", StringComparison.Ordinal))
            {
                actors.Add(r);
            }
        }

        signals.Add(new ConsentSignal
        {
            Kind = type == "deny" ? ConsentSignalKind.ConsentDeny : ConsentSignalKind.ConsentPermit,
            Purposes = [.. (provision.Purpose ?? []).Where(p => p.Code is not null).Select(p => p.Code!)],
            Actors = actors,
            PeriodStart = start,
            PeriodEnd = end,
            Source = consent.Id is null ? "Consent" : "Consent/" + consent.Id,
        });
        foreach (var nested in provision.Provision ?? [])
        {
            AddProvision(signals, consent, nested, type == "deny" ? "permit" : "deny", zone);
        }
    }

    private static (DispositionKind Kind, IReadOnlyList<string> Codes, string? Text, bool? Fatal) Disposition(Encounter encounter)
    {
        var coding = encounter.Hospitalization?.DischargeDisposition?.Coding?.FirstOrDefault(c => c.Code is not null);
        if (coding is null)
        {
            return (DispositionKind.Unknown, [], null, null);
        }

        var code = coding.Code!;
        IReadOnlyList<string> codes = ["Encounter.hospitalization.dischargeDisposition=" + code];
        return code switch
        {
            "home" or "alt-home" => (DispositionKind.Discharged, codes, null, false),
            "aadvice" => (DispositionKind.LeftAgainstAdvice, codes, null, false),
            "exp" => (DispositionKind.Died, codes, null, true),
            _ => (DispositionKind.Other, codes, code, null),
        };
    }

    private static List<RecordIdentifier> RecordIdentifiers(Encounter encounter)
    {
        var identifiers = new List<RecordIdentifier>(encounter.Identifier?.Count ?? 0);
        if (encounter.Identifier is null)
        {
            return identifiers;
        }

        foreach (var i in encounter.Identifier)
        {
            if (!string.IsNullOrEmpty(i.Value))
            {
                identifiers.Add(new RecordIdentifier
                {
                    Kind = i.Type?.Coding?.Exists(c => c.Code == "VN") == true ? "visit-number" : "encounter-identifier",
                    Value = i.Value,
                });
            }
        }

        return identifiers;
    }

    private static SubjectIdentity SubjectOf(Patient patient, DateTimeOffset occurredAt)
    {
        var name = patient.Name?.Find(n => n.Use == "official") ?? patient.Name?.FirstOrDefault();
        DateOnly? birth = patient.BirthDate is { Length: 10 } b ? BirthDateOf(b) : null;
        int? age = null;
        if (birth is { } born)
        {
            var on = DateOnly.FromDateTime(occurredAt.DateTime);
            var years = on.Year - born.Year;
            if (on < born.AddYears(years))
            {
                years--;
            }

            age = years >= 0 ? years : null;
        }

        var phone = patient.Telecom?.Find(t => t.System == "phone" && t.Use is "home" or "mobile") ?? patient.Telecom?.Find(t => t.System == "phone");
        var address = HomeAddress(patient);
        return new SubjectIdentity
        {
            FamilyName = name?.Family,
            GivenName = name?.Given?.FirstOrDefault(),
            MiddleName = name?.Given is { Count: > 1 } given ? given[1] : null,
            BirthDate = birth,
            AgeYears = age,
            Sex = patient.Gender is "male" or "female" or "other" or "unknown" ? patient.Gender : null,
            Phone = phone?.Value,
            HomeAddress = address is null ? null : new PostalAddress
            {
                Street = address.Line is { Count: > 0 } lines ? string.Join(", ", lines) : null,
                City = address.City,
                State = address.State,
                Zip = address.PostalCode,
            },
            MedicalRecordNumber = patient.Identifier?.Find(i => i.Type?.Coding?.Exists(c => c.Code == "MR") == true)?.Value,
            SocialSecurityNumber = patient.Identifier?.Find(i => i.System == "http://hl7.org/fhir/sid/us-ssn" || i.Type?.Coding?.Exists(c => c.Code == "SS") == true)?.Value,
        };
    }

    /// <summary><c>yyyy-MM-dd</c> without the culture-aware parser (same result as <c>DateOnly.TryParseExact</c> with that format).</summary>
    private static DateOnly? BirthDateOf(string text)
    {
        var s = text.AsSpan();
        return s[4] == '-' && s[7] == '-' && Digits(s, 0, 4, out var year) && Digits(s, 5, 2, out var month) && Digits(s, 8, 2, out var day)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }

    private static Address? HomeAddress(Patient patient) =>
        patient.Address?.Find(a => a.Use == "home") ?? patient.Address?.Find(a => a.Use is not "old" and not "billing");

    private static EventLocation LocationOf(Patient? patient, Encounter encounter, FhirResourceIndex index)
    {
        if (patient is not null && HomeAddress(patient) is { } home && FromAddress(home) is { Precision: not LocationPrecision.Unknown } residence)
        {
            return residence;
        }

        foreach (var place in encounter.Location ?? [])
        {
            if (index.Resolve(place.Location, encounter, out var target) == ReferenceStatus.Found && target is Location location)
            {
                if (location.Position is { Latitude: { } lat, Longitude: { } lon })
                {
                    var basis = location.Address is null ? new EventLocation() : FromAddress(location.Address);
                    return basis with { Precision = LocationPrecision.Point, Latitude = (double)lat, Longitude = (double)lon };
                }

                if (location.Address is not null)
                {
                    return FromAddress(location.Address);
                }
            }
        }

        return new EventLocation();
    }

    private static EventLocation FromAddress(Address address)
    {
        var street = address.Line is { Count: > 0 } lines ? string.Join(", ", lines) : null;
        var precision = street is not null ? LocationPrecision.Address
            : address.City is not null ? LocationPrecision.Municipality
            : address.PostalCode is not null ? LocationPrecision.Zip
            : address.State is not null ? LocationPrecision.State
            : LocationPrecision.Unknown;
        return new EventLocation
        {
            Precision = precision,
            StreetAddress = street,
            City = address.City,
            State = address.State,
            Zip = address.PostalCode,
        };
    }
}
