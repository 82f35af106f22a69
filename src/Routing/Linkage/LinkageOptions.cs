using System.ComponentModel.DataAnnotations;

namespace Hub.Routing.Linkage;

/// <summary>Time and place windows of episode linkage (section <see cref="Section"/>).</summary>
public sealed class LinkageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Hub:Linkage";

    /// <summary>An EMS run and an ED visit sharing a person token join when this close in time (default 12 h).</summary>
    public TimeSpan EmsEdWindow { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Two EMS runs, or two ED visits, sharing a person token join when this close (default 6 h: a second unit's report).</summary>
    public TimeSpan SameSourceWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A police call joins an EMS run this close in time (default 2 h) ...</summary>
    public TimeSpan PoliceEmsWindow { get; set; } = TimeSpan.FromHours(2);

    /// <summary>... and this close in space (default 300 m), or on the same block.</summary>
    [Range(1, 100_000)]
    public double PoliceEmsMaxDistanceMeters { get; set; } = 300;

    /// <summary>
    /// How long an episode is kept after its newest event (by event time), so late records and corrections still
    /// find it. Never shorter than the longest window above; null means exactly the longest window.
    /// </summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>Hard cap on events held; past it the oldest episodes are dropped first (default 2,000,000).</summary>
    [Range(1, int.MaxValue)]
    public int MaxEvents { get; set; } = 2_000_000;

    /// <summary>The retention in force.</summary>
    public TimeSpan EffectiveRetention
    {
        get
        {
            var longest = new[] { EmsEdWindow, SameSourceWindow, PoliceEmsWindow }.Max();
            return Retention is { } r && r > longest ? r : longest;
        }
    }
}
