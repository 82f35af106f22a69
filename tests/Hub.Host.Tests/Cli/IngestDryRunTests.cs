using System.Text.Json;

namespace Hub.Host.Tests.Cli;

/// <summary>
/// <c>hub ingest FILE --feed ID --dry-run</c> is the contract feed teams test their files with: one JSON line per
/// source record on stdout, a summary on stderr, exit 0 when the file was read to its end.
/// </summary>
public sealed class IngestDryRunTests : IDisposable
{
    private readonly CliConfiguration _cli = new();

    [Fact]
    public async Task Given_a_cad_file_When_dry_run_Then_one_json_line_per_record_with_its_outcome()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd-2026-03-14.csv");
        var dataRows = File.ReadAllLines(file).Length - 1;

        var (exit, stdout, stderr) = await HubProcess.RunAsync(_cli.Folder, "ingest", file, "--feed", "township-pd", "--dry-run", "--config", _cli.ConfigFile);

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(dataRows, lines.Count);
        Assert.All(lines, l => Assert.Equal("township-pd", l.GetProperty("feed").GetString()));
        var outcomes = lines.Select(l => l.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["overdose", "not-overdose", "overdose", "rejected", "overdose"], outcomes);
        var reject = lines[3].GetProperty("reject");
        Assert.Contains("line 5", reject.GetProperty("location").GetString(), StringComparison.Ordinal);
        Assert.Equal("T-1001", lines[0].GetProperty("sourceRecordId").GetString());
        Assert.StartsWith("cad-call-type@", lines[0].GetProperty("definition").GetString(), StringComparison.Ordinal);
        Assert.Equal("Police", lines[0].GetProperty("event").GetProperty("sourceKind").GetString());
        Assert.False(lines[0].TryGetProperty("notification", out _));
        Assert.Contains("3 overdose, 1 not overdose, 1 rejected", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cli.Folder, "hub.db")), "A dry run must not create or write the database.");
    }

    [Fact]
    public async Task Given_a_recipient_When_dry_run_Then_each_overdose_line_shows_what_that_recipient_would_receive()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd-2026-03-14.csv");

        var (exit, stdout, stderr) = await HubProcess.RunAsync(_cli.Folder, "ingest", file, "--feed", "township-pd", "--dry-run", "--recipient", "montco-post", "--config", _cli.ConfigFile);

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var line in lines.Where(l => l.GetProperty("outcome").GetString() == "overdose"))
        {
            var notification = line.GetProperty("notification");
            Assert.Equal("montco-post", notification.GetProperty("recipientId").GetString());
            Assert.Equal("dsa-1", notification.GetProperty("agreementId").GetString());
        }

        Assert.All(lines.Where(l => l.GetProperty("outcome").GetString() != "overdose"), l => Assert.False(l.TryGetProperty("notification", out _)));
    }

    [Fact]
    public async Task Given_a_missing_file_When_dry_run_Then_exit_code_is_1_with_the_reason()
    {
        var (exit, _, stderr) = await HubProcess.RunAsync(_cli.Folder, "ingest", Path.Combine(_cli.Folder, "nope.csv"), "--feed", "township-pd", "--dry-run", "--config", _cli.ConfigFile);

        Assert.Equal(1, exit);
        Assert.Contains("not found", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
