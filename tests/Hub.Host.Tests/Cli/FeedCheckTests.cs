namespace Hub.Host.Tests.Cli;

/// <summary><c>hub feeds check</c>: per-column parse counts with reasons, so an agency can fix its profile.</summary>
public sealed class FeedCheckTests : IDisposable
{
    private readonly CliConfiguration _cli = new();

    [Fact]
    public async Task Given_an_export_with_a_bad_time_and_a_renamed_column_When_checked_Then_each_column_reports_what_failed_and_why()
    {
        var file = Path.Combine(_cli.Folder, "drifted.csv");
        await File.WriteAllTextAsync(file,
            "incident_id,call_type,received_at,block_address,city,postal,disposition\n" +
            "T-1,OD,2026-03-14 02:41:00,1200 BLOCK OF SYNTHETIC AVE,Norristown,19401,REFUSED\n" +
            "T-2,OD,14/03/2026 2:41,100 BLOCK OF EXAMPLE RD,Norristown,19401,CLEARED\n" +
            "T-3,ALARM,2026-03-14 04:15:00,300 BLOCK OF TEST ST,Norristown,19401,CLEARED\n");

        var (exit, stdout, stderr) = await HubProcess.RunAsync(_cli.Folder, "feeds", "check", file, "--feed", "township-pd", "--config", _cli.ConfigFile);

        Assert.True(exit == 0, stderr);
        var received = stdout.Split('\n').Single(l => l.StartsWith("Received ", StringComparison.Ordinal));
        Assert.Matches(@"Received\s+received_at\s+2\s+0\s+1", received);
        Assert.Contains("line 3", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("14/03/2026 2:41", stdout, StringComparison.Ordinal);
        Assert.Contains("Unmapped columns: postal", stdout, StringComparison.Ordinal);
        Assert.Contains("3 records: 1 overdose, 1 not overdose, 1 rejected", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
