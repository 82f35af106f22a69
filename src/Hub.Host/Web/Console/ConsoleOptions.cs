using System.ComponentModel.DataAnnotations;

namespace Hub.Host.Web.Console;

/// <summary>The web console (section <c>Hub:Console</c>).</summary>
internal sealed class ConsoleOptions
{
    public const string Section = "Hub:Console";

    /// <summary>Minutes without a request after which a session ends (sliding). Short because pages carry PHI.</summary>
    [Range(1, 1440)]
    public int IdleTimeoutMinutes { get; set; } = 15;

    /// <summary>How many notifications the inbox lists (newest first).</summary>
    [Range(1, 5000)]
    public int InboxSize { get; set; } = 200;

    /// <summary>Largest file the feeds page accepts for a dry run (bytes). It is read into memory and never stored.</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long DryRunMaxBytes { get; set; } = 10L * 1024 * 1024;
}

/// <summary>The console's roles, as stored in <c>console_users.role</c> and in the role claim.</summary>
internal static class ConsoleRoles
{
    public const string FeedAdmin = "feed-admin";
    public const string Recipient = "recipient";
    public const string PrivacyOfficer = "privacy-officer";
    public const string HubAdmin = "hub-admin";

    /// <summary>The claim carrying the agency (recipient id) a recipient user is scoped to.</summary>
    public const string AgencyClaim = "hub:agency";

    public static readonly IReadOnlyList<string> All = [FeedAdmin, Recipient, PrivacyOfficer, HubAdmin];
}
