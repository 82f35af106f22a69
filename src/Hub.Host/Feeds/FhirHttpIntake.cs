using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;
using Hub.Audit.Storage;
using Hub.Contracts.Model;

namespace Hub.Host.Feeds;

/// <summary>
/// What <c>POST /fhir</c> hands to the hub. Idempotent on three keys, all kept as exclusive claims in the
/// database (so it holds across hub instances): the body's SHA-256, the Bundle id per feed, and each event id
/// (feed + <c>Encounter/&lt;id&gt;</c>). A resent Bundle or Encounter is acknowledged, never published twice.
/// </summary>
internal sealed class FhirHttpIntake(FeedCatalog catalog, FeedIntake intake, IIntakeStore claims) : IFhirIntake
{
    public async Task<FhirIntakeResult> AcceptAsync(string feedId, SourceDocument source, string? bundleId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(outcomes);
        var feed = catalog.Get(feedId);
        var bodyIsNew = await claims.TryClaimAsync(feedId, source.Sha256, source.Name, cancellationToken).ConfigureAwait(false);
        var bundleIsNew = bundleId is null
            || await claims.TryClaimAsync(feedId, "bundle:" + bundleId, source.Name, cancellationToken).ConfigureAwait(false);
        if (!bodyIsNew || !bundleIsNew)
        {
            return new FhirIntakeResult
            {
                DuplicateBundle = true,
                Statuses = outcomes.Select(o => o.Kind switch
                {
                    RecordOutcomeKind.Overdose => FhirIntakeStatus.AlreadyAccepted,
                    RecordOutcomeKind.NotOverdose => FhirIntakeStatus.Counted,
                    _ => FhirIntakeStatus.Rejected,
                }).ToList(),
            };
        }

        var statuses = new List<FhirIntakeStatus>(outcomes.Count);
        var fresh = new List<RecordOutcome>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            switch (outcome.Kind)
            {
                case RecordOutcomeKind.Overdose when outcome.Event is { } e:
                    if (await claims.TryClaimAsync(feedId, "event:" + e.EventId, source.Name, cancellationToken).ConfigureAwait(false))
                    {
                        statuses.Add(FhirIntakeStatus.Accepted);
                        fresh.Add(outcome);
                    }
                    else
                    {
                        statuses.Add(FhirIntakeStatus.AlreadyAccepted);
                    }

                    break;
                case RecordOutcomeKind.NotOverdose:
                    statuses.Add(FhirIntakeStatus.Counted);
                    fresh.Add(outcome);
                    break;
                default:
                    statuses.Add(FhirIntakeStatus.Rejected);
                    fresh.Add(outcome);
                    break;
            }
        }

        await intake.IngestOutcomesAsync(feed, source, ToAsync(fresh), cancellationToken).ConfigureAwait(false);
        return new FhirIntakeResult { Statuses = statuses };
    }

    private static async IAsyncEnumerable<RecordOutcome> ToAsync(IEnumerable<RecordOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            yield return outcome;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
