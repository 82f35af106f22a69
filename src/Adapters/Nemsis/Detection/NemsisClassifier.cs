using Hub.Contracts.Model;

namespace Hub.Adapters.Nemsis.Detection;

/// <summary>What a definition found in one PCR.</summary>
internal sealed record NemsisMatch(NemsisCaseDefinition Definition, IReadOnlyList<DetectionEvidence> Evidence, SubstanceClass Substance);

/// <summary>Applies case definitions to a parsed PCR.</summary>
internal static class NemsisClassifier
{
    public const string CodeRule = "impression-regex";
    public const string MedicationRule = "naloxone-improved";

    /// <summary>The first definition (in order) that matches, with every piece of evidence it found; null when none matches.</summary>
    public static NemsisMatch? Classify(NemsisPcr pcr, IReadOnlyList<NemsisCaseDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            var match = Apply(pcr, definition);
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    public static NemsisMatch? Apply(NemsisPcr pcr, NemsisCaseDefinition definition)
    {
        List<DetectionEvidence>? evidence = null;
        var substance = SubstanceClass.Unknown;
        foreach (var value in pcr.Situation)
        {
            if (!Contains(definition.CodeElements, value.Element))
            {
                continue;
            }

            if (value.PertinentNegative is not null && Contains(definition.ExcludePertinentNegativeElements, value.Element))
            {
                continue;
            }

            var code = Icd10Code.Normalize(value.Value);
            if (code.Length > 0 && definition.Pattern.IsMatch(code))
            {
                (evidence ??= []).Add(new DetectionEvidence { Rule = CodeRule, Element = value.Element, Value = code });
                substance = Stronger(substance, SubstanceOf(code, definition.Substance));
            }
        }

        for (var i = 0; i < pcr.Medications.Count; i++)
        {
            var group = pcr.Medications[i];
            if (group.Code is { } medication
                && group.CodePertinentNegative is null
                && Contains(definition.MedicationCodes, medication.Trim())
                && string.Equals(group.Response?.Trim(), definition.MedicationResponseCode, StringComparison.Ordinal))
            {
                (evidence ??= []).Add(new DetectionEvidence
                {
                    Rule = MedicationRule,
                    Element = $"eMedications.MedicationGroup[{i + 1}]",
                    Value = $"eMedications.03={medication.Trim()};eMedications.07={definition.MedicationResponseCode}",
                });
                substance = Stronger(substance, SubstanceClass.Opioid);
            }
        }

        return evidence is null ? null : new NemsisMatch(definition, evidence, substance == SubstanceClass.Unknown ? definition.Substance : substance);
    }

    /// <summary>The drug class a matched code points at: opioid (F11, T40.0–T40.4, T40.6), stimulant (F14, F15, T40.5, T43.6), else the definition's.</summary>
    internal static SubstanceClass SubstanceOf(string code, SubstanceClass fallback)
    {
        if (code.StartsWith("F11", StringComparison.Ordinal)
            || (code.StartsWith("T40.", StringComparison.Ordinal) && code.Length > 4 && code[4] is '0' or '1' or '2' or '3' or '4' or '6'))
        {
            return SubstanceClass.Opioid;
        }

        if (code.StartsWith("F14", StringComparison.Ordinal) || code.StartsWith("F15", StringComparison.Ordinal)
            || code.StartsWith("T40.5", StringComparison.Ordinal) || code.StartsWith("T43.6", StringComparison.Ordinal))
        {
            return SubstanceClass.Stimulant;
        }

        return fallback;
    }

    private static SubstanceClass Stronger(SubstanceClass current, SubstanceClass next) =>
        current == SubstanceClass.Opioid || next == SubstanceClass.Opioid ? SubstanceClass.Opioid
        : current == SubstanceClass.Stimulant || next == SubstanceClass.Stimulant ? SubstanceClass.Stimulant
        : next != SubstanceClass.Unknown ? next : current;

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
