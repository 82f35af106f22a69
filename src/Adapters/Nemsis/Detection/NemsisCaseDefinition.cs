using System.Text.RegularExpressions;
using Hub.Contracts.Model;

namespace Hub.Adapters.Nemsis.Detection;

/// <summary>
/// A NEMSIS case definition as versioned data: which eSituation elements are tested against which code pattern, and
/// which medication groups count (a code list together with a response, in the same eMedications.MedicationGroup).
/// Kept as data so a new version is a new instance, and the matched id and version travel with each event.
/// </summary>
public sealed record NemsisCaseDefinition
{
    /// <summary>Stable id, e.g. <c>nemsis-opioid-overdose</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Version (the publication date of the definition), e.g. <c>2025-12-17</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Regular expression tested (unanchored, as XQuery <c>matches</c> does) against each normalized ICD-10-CM code.</summary>
    public required string CodePattern { get; init; }

    /// <summary>The eSituation elements whose codes are tested (eSituation.09 to .12).</summary>
    public required IReadOnlyList<string> CodeElements { get; init; }

    /// <summary>Elements whose codes do not count when they carry a PN (pertinent negative) attribute: <c>eSituation.10</c> (symptom not present).</summary>
    public IReadOnlyList<string> ExcludePertinentNegativeElements { get; init; } = [];

    /// <summary>eMedications.03 codes of the medication rule (naloxone, RxNorm).</summary>
    public required IReadOnlyList<string> MedicationCodes { get; init; }

    /// <summary>eMedications.07 response that must be recorded in the same group (9916001 Improved).</summary>
    public required string MedicationResponseCode { get; init; }

    /// <summary>The drug class attributed when a code rule matches and no finer class is known.</summary>
    public SubstanceClass Substance { get; init; } = SubstanceClass.Opioid;

    /// <summary><c>id@version</c>, as outcomes carry it.</summary>
    public string Qualified => Id + "@" + Version;

    /// <summary>The compiled pattern.</summary>
    internal Regex Pattern => pattern ??= new Regex(CodePattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));

    private Regex? pattern;
}
