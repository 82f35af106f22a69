using Hub.Contracts.Model;

namespace Hub.Adapters.Nemsis.Detection;

/// <summary>The case definitions shipped with the hub, and the choice of them by a feed's <c>DefinitionScope</c>.</summary>
public static class NemsisCaseDefinitions
{
    /// <summary>Scope value for the opioid definition only (the default).</summary>
    public const string OpioidScope = "opioid";

    /// <summary>Scope value for the opioid definition plus the hub's all-drug definition.</summary>
    public const string AllDrugScope = "all-drug";

    /// <summary>Naloxone RxNorm codes of the NEMSIS definition: 7242 naloxone, 203192 naloxone hydrochloride, 197117 naloxone injectable.</summary>
    public static IReadOnlyList<string> NaloxoneCodes { get; } = ["7242", "203192", "197117"];

    /// <summary>
    /// The NEMSIS opioid overdose case definition (CaseDefinitions/OpioidOverdose.xquery of the NEMSIS public repository),
    /// version of 17 Dec 2025. The pattern is used exactly as published; note that only its first alternative is anchored
    /// at the start and only its last at the end, so e.g. T40.2X5A (adverse effect) also matches, as it does in NEMSIS's own counts.
    /// </summary>
    public static NemsisCaseDefinition OpioidOverdose { get; } = new()
    {
        Id = "nemsis-opioid-overdose",
        Version = "2025-12-17",
        CodePattern = @"^(F11.*)|(T40\.[0-3]X?[1-4]?A?)|(T40\.4.?[1-4]?A?)|(T40\.6[09]?[1-4]?A?)$",
        CodeElements = ["eSituation.09", "eSituation.10", "eSituation.11", "eSituation.12"],
        ExcludePertinentNegativeElements = ["eSituation.10"],
        MedicationCodes = NaloxoneCodes,
        MedicationResponseCode = "9916001",
        Substance = SubstanceClass.Opioid,
    };

    /// <summary>
    /// The hub's all-drug overdose definition (not a NEMSIS publication): any poisoning by drugs, medicaments and
    /// biological substances T36–T50 with 6th character 1–4 (accidental, intentional self-harm, assault, undetermined;
    /// adverse effect 5 and underdosing 6 excluded) and 7th character A or none; or an intoxication code of a drug use
    /// disorder F11–F16, F18, F19 with 4th character 1, 2 or 9 and 5th character 2 (alcohol F10 and nicotine F17 excluded);
    /// or the naloxone-improved medication rule.
    /// </summary>
    public static NemsisCaseDefinition AllDrugOverdose { get; } = new()
    {
        Id = "nemsis-all-drug-overdose",
        Version = "2026-11-21",
        CodePattern = @"^(T(3[6-9]|4[0-9]|50)\.[0-9A-Z]{2}[1-4]A?$)|(F1[1-689]\.[129]2[0-9A-Z]?$)",
        CodeElements = ["eSituation.09", "eSituation.10", "eSituation.11", "eSituation.12"],
        ExcludePertinentNegativeElements = ["eSituation.10"],
        MedicationCodes = NaloxoneCodes,
        MedicationResponseCode = "9916001",
        Substance = SubstanceClass.OtherDrug,
    };

    /// <summary>The definitions a scope enables, in the order they are tried (opioid first).</summary>
    /// <exception cref="ArgumentException">The scope is neither <c>opioid</c> nor <c>all-drug</c>.</exception>
    public static IReadOnlyList<NemsisCaseDefinition> ForScope(string? scope) => (scope ?? OpioidScope).Trim().ToLowerInvariant() switch
    {
        "" or OpioidScope => [OpioidOverdose],
        AllDrugScope => [OpioidOverdose, AllDrugOverdose],
        _ => throw new ArgumentException($"Unknown definition scope '{scope}': use '{OpioidScope}' or '{AllDrugScope}'.", nameof(scope)),
    };
}
