using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir.Model;
using Hub.Contracts.Model;

namespace Hub.Adapters.Fhir;

/// <summary>Builds the FHIR JSON the endpoint answers with: OperationOutcomes and transaction/batch responses. Never echoes values.</summary>
public static class FhirOperationOutcomes
{
    /// <summary>An OperationOutcome with one issue.</summary>
    /// <param name="severity">fatal | error | warning | information.</param>
    /// <param name="code">Issue type: structure, invalid, security, login, forbidden, too-long, not-supported...</param>
    /// <param name="diagnostics">What is wrong (no PHI).</param>
    /// <param name="expression">Where, as a path, when known.</param>
    public static byte[] Create(string severity, string code, string diagnostics, string? expression = null) =>
        FhirJson.Serialize(new OperationOutcome
        {
            ResourceType = "OperationOutcome",
            Issue = [Issue(severity, code, diagnostics, expression)],
        });

    /// <summary>An OperationOutcome for a document that could not be parsed (400).</summary>
    public static byte[] ForParseError(FhirJsonError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var where = error.Line is { } line ? $"{error.Path} (line {line})" : error.Path;
        return Create("error", "structure", error.Reason, where);
    }

    /// <summary>
    /// The answer to a readable Bundle: a transaction-response or batch-response Bundle (one entry per request entry, in
    /// order) for those types, else an OperationOutcome with one issue per emergency Encounter.
    /// </summary>
    public static byte[] ForBundle(Bundle bundle, IReadOnlyList<RecordOutcome> outcomes, FhirIntakeResult intake)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(intake);
        var byRecord = new Dictionary<string, (RecordOutcome Outcome, FhirIntakeStatus Status)>(StringComparer.Ordinal);
        var issues = new List<OperationOutcomeIssue>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            var status = i < intake.Statuses.Count ? intake.Statuses[i] : StatusOf(outcomes[i]);
            if (outcomes[i].SourceRecordId is { } id)
            {
                byRecord.TryAdd(id, (outcomes[i], status));
            }

            issues.Add(IssueOf(outcomes[i], status, intake.DuplicateBundle));
        }

        if (bundle.Type is not ("transaction" or "batch"))
        {
            if (issues.Count == 0)
            {
                issues.Add(Issue("information", "informational", "no emergency Encounter in the Bundle", null));
            }

            return FhirJson.Serialize(new OperationOutcome { ResourceType = "OperationOutcome", Issue = issues });
        }

        var entries = new List<BundleEntry>();
        foreach (var entry in bundle.Entry ?? [])
        {
            var response = new BundleEntryResponse { Status = "200 OK" };
            if (entry.Resource is Encounter encounter)
            {
                var id = encounter.Id ?? (entry.FullUrl is { } url && url.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? url[9..] : null);
                if (id is not null && byRecord.TryGetValue("Encounter/" + id, out var found))
                {
                    response.Status = found.Status switch
                    {
                        FhirIntakeStatus.Accepted => "201 Created",
                        FhirIntakeStatus.Rejected => "422 Unprocessable Entity",
                        _ => "200 OK",
                    };
                    response.Location = found.Outcome.Kind == RecordOutcomeKind.Rejected ? null : "Encounter/" + id;
                    response.Outcome = new OperationOutcome
                    {
                        ResourceType = "OperationOutcome",
                        Issue = [IssueOf(found.Outcome, found.Status, intake.DuplicateBundle)],
                    };
                }
            }

            entries.Add(new BundleEntry { FullUrl = entry.FullUrl, Response = response });
        }

        return FhirJson.Serialize(new Bundle { ResourceType = "Bundle", Type = bundle.Type + "-response", Entry = entries });
    }

    private static FhirIntakeStatus StatusOf(RecordOutcome outcome) => outcome.Kind switch
    {
        RecordOutcomeKind.Overdose => FhirIntakeStatus.Accepted,
        RecordOutcomeKind.NotOverdose => FhirIntakeStatus.Counted,
        _ => FhirIntakeStatus.Rejected,
    };

    private static OperationOutcomeIssue IssueOf(RecordOutcome outcome, FhirIntakeStatus status, bool duplicateBundle)
    {
        var record = outcome.SourceRecordId ?? "Bundle";
        if (outcome.Kind == RecordOutcomeKind.Rejected)
        {
            return Issue("error", "invalid", outcome.Reject?.Reason ?? "rejected", outcome.Reject?.Location);
        }

        var text = status switch
        {
            FhirIntakeStatus.AlreadyAccepted => $"{record}: overdose, already accepted",
            FhirIntakeStatus.Accepted => $"{record}: overdose ({outcome.Definition}), accepted",
            _ => $"{record}: not an overdose ({outcome.Definition})",
        };
        if (duplicateBundle)
        {
            text += "; Bundle already received";
        }

        return Issue("information", "informational", text, null);
    }

    private static OperationOutcomeIssue Issue(string severity, string code, string diagnostics, string? expression) => new()
    {
        Severity = severity,
        Code = code,
        Diagnostics = diagnostics,
        Expression = expression is null ? null : [expression],
    };
}
