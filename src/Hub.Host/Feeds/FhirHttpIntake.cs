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
/// <remarks>
/// The claims, rejects, warnings, counts and the <c>received</c> ledger entry of a request are one transaction, and
/// concurrent requests share it (<see cref="GroupCommitIntakeWriter"/>): one fsync for many requests. New overdose
/// events are published once that transaction has committed, before the request is answered.
/// </remarks>
internal sealed class FhirHttpIntake(FeedCatalog catalog, FeedIntake intake, EventPublisher publisher, GroupCommitIntakeWriter writer) : IFhirIntake
{
    public async Task<FhirIntakeResult> AcceptAsync(string feedId, SourceDocument source, string? bundleId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(outcomes);
        var feed = catalog.Get(feedId);
        var events = new List<OverdoseEvent>();
        foreach (var outcome in outcomes)
        {
            if (outcome is { Kind: RecordOutcomeKind.Overdose, Event: { } e })
            {
                events.Add(e);
            }
        }

        var committed = await writer.CommitAsync(
            new IntakeCommit
            {
                FeedId = feedId,
                SourceName = source.Name,
                InputKeys = bundleId is null ? [source.Sha256] : [source.Sha256, "bundle:" + bundleId],
                RecordKeys = events.ConvertAll(e => "event:" + e.EventId),
                Writes = isNew => intake.WritesOf(feed, source, Fresh(outcomes, isNew)),
            },
            cancellationToken).ConfigureAwait(false);

        if (committed.DuplicateInput)
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
        var eventIndex = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome.Kind)
            {
                case RecordOutcomeKind.Overdose when outcome.Event is { } e:
                    if (committed.RecordIsNew[eventIndex++])
                    {
                        await publisher.PublishAsync(e, cancellationToken).ConfigureAwait(false);
                        statuses.Add(FhirIntakeStatus.Accepted);
                    }
                    else
                    {
                        statuses.Add(FhirIntakeStatus.AlreadyAccepted);
                    }

                    break;
                case RecordOutcomeKind.NotOverdose:
                    statuses.Add(FhirIntakeStatus.Counted);
                    break;
                default:
                    statuses.Add(FhirIntakeStatus.Rejected);
                    break;
            }
        }

        intake.LogPushed(
            feed,
            source,
            statuses.Count(s => s == FhirIntakeStatus.Accepted),
            statuses.Count(s => s == FhirIntakeStatus.Counted),
            statuses.Count(s => s == FhirIntakeStatus.Rejected));
        return new FhirIntakeResult { Statuses = statuses };
    }

    /// <summary>The outcomes that count for this request: everything but overdose events claimed by an earlier request.</summary>
    private static IEnumerable<RecordOutcome> Fresh(IReadOnlyList<RecordOutcome> outcomes, IReadOnlyList<bool> eventIsNew)
    {
        var eventIndex = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome is { Kind: RecordOutcomeKind.Overdose, Event: not null } && !eventIsNew[eventIndex++])
            {
                continue;
            }

            yield return outcome;
        }
    }
}
