using Hub.Contracts.Model;

namespace Hub.Routing.Linkage;

/// <summary>The episode an event belongs to after linkage.</summary>
/// <param name="EpisodeId">Stable episode id.</param>
/// <param name="Version">Episode version: 1 when new, +1 each time a later source enriches it.</param>
/// <param name="IsNew">True when this event started the episode.</param>
/// <param name="Events">The episode's events, oldest first.</param>
/// <param name="PersonKey">A hub-internal key for the person (the strongest token), or null (police-only).</param>
public sealed record EpisodeAssignment(Guid EpisodeId, int Version, bool IsNew, IReadOnlyList<OverdoseEvent> Events, string? PersonKey);

/// <summary>Links events about the same person and episode across sources.</summary>
public interface IEpisodeLinker
{
    /// <summary>Links one event, given its person tokens (rule:value strings computed by the privacy stage).</summary>
    EpisodeAssignment Link(OverdoseEvent overdoseEvent, IReadOnlyList<string> personTokens);
}
