using Hub.Testing;

namespace Hub.Host.Tests.Cli;

/// <summary>The README's first command: the synthetic demo runs the whole pipeline and prints what was delivered.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Given_the_shipped_demo_When_run_Then_it_exits_0_and_every_event_is_routed_and_delivered()
    {
        var samples = Path.Combine(ExternalData.RepositoryRoot, "samples", "demo");

        var (exit, stdout, stderr) = await HubProcess.RunAsync(Path.GetTempPath(), "demo", "--samples", samples);

        Assert.True(exit == 0, stderr + stdout);
        Assert.Matches(@"Detected and routed: [1-9]\d* overdose event\(s\) \(0 failed\)", stdout);
        Assert.Matches(@"hub\.recipient\.montco-post: [1-9]\d* notification\(s\)", stdout);
        Assert.Contains("profile identified-outreach", stdout, StringComparison.Ordinal);
        Assert.Contains("profile safe-harbor", stdout, StringComparison.Ordinal);
        foreach (var line in stdout.Split('\n').Where(l => l.Contains(" permitted ", StringComparison.Ordinal)))
        {
            // Every permitted disclosure was delivered.
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(parts[Array.IndexOf(parts, "permitted") + 1], parts[Array.IndexOf(parts, "delivered") + 1]);
        }
    }
}
