using Hub.Contracts.Model;

namespace Hub.Routing.Linkage;

/// <summary>The episode an event belongs to after linkage.</summary>
/// <param name="EpisodeId">Stable episode id.</param>
/// <param name="Version">Episode version: 1 when new, +1 each time a later source enriches it.</param>
/// <param name="IsNew">True when this event started the episode.</param>
/// <param name="Events">The episode's events, oldest first.</param>
/// <param name="PersonKey">A hub-internal key for the person (the strongest token), or null (police-only).</param>
public sealed record EpisodeAssignment(Guid EpisodeId, int Version, bool IsNew, IReadOnlyList<OverdoseEvent> Events, string? PersonKey)
{
    /// <summary>
    /// Episodes absorbed into this one by this event (a police-only episode that an EMS run later tied to a person's
    /// episode). Their ids are retired: the host should treat a notification sent for them as superseded by this one.
    /// </summary>
    public IReadOnlyList<Guid> MergedEpisodeIds { get; init; } = [];

    /// <summary>True when the event was a new version of a record already linked (same <see cref="OverdoseEvent.EventId"/>).</summary>
    public bool IsUpdateOfKnownEvent { get; init; }
}

/// <summary>One episode's membership, for tests and diagnostics (no PHI: ids only).</summary>
/// <param name="EpisodeId">The episode.</param>
/// <param name="Version">Its current version.</param>
/// <param name="EventIds">The hub event ids in it, oldest first.</param>
public sealed record EpisodeSnapshot(Guid EpisodeId, int Version, IReadOnlyList<string> EventIds);

/// <summary>Links events about the same person and episode across sources.</summary>
public interface IEpisodeLinker
{
    /// <summary>Links one event, given its person tokens (rule:value strings computed by the privacy stage).</summary>
    EpisodeAssignment Link(OverdoseEvent overdoseEvent, IReadOnlyList<string> personTokens);

    /// <summary>The episodes currently held in the window, with their members.</summary>
    IReadOnlyList<EpisodeSnapshot> Snapshot();
}
