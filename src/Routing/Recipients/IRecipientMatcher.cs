using Hub.Contracts.Model;

namespace Hub.Routing.Recipients;

/// <summary>A recipient that should hear of an event, and how the place matched.</summary>
/// <param name="RecipientId">The recipient.</param>
/// <param name="MatchedBy">How: <c>county</c>, <c>municipality</c>, <c>polygon</c>, <c>zip</c>, or <c>after-hours-fallback:&lt;id&gt;</c>.</param>
/// <param name="Precision">The precision of the event's location that matched.</param>
public sealed record RecipientMatch(string RecipientId, string MatchedBy, LocationPrecision Precision);

/// <summary>Finds the recipients whose jurisdiction contains an event and whose filters it meets.</summary>
public interface IRecipientMatcher
{
    /// <summary>Matches one event at <paramref name="at"/> (for hours and after-hours fallback).</summary>
    IReadOnlyList<RecipientMatch> Match(OverdoseEvent overdoseEvent, DateTimeOffset at);

    /// <summary>
    /// The recipients that receive spike alerts for a jurisdiction id (a county FIPS code): those with
    /// <see cref="RecipientOptions.ReceivesSpikeAlerts"/> whose jurisdiction lists that county.
    /// </summary>
    IReadOnlyList<string> MatchSpike(string jurisdictionId);
}
