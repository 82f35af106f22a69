using Hub.Audit.Storage;
using Hub.Host.Cli;
using Hub.Host.Feeds;
using Hub.Host.Tests.Cli;

namespace Hub.Host.Tests.Feeds;

/// <summary>
/// Progress of a running ingest is written to <c>intake_progress</c> and shown by <c>hub feeds list</c>: an input read to
/// its end is finished with its record count and all its bytes; an input still being read is listed, and one whose
/// progress is old is marked stalled.
/// </summary>
public sealed class IngestProgressTests : IDisposable
{
    private const string FeedId = "township-pd";
    private readonly CliConfiguration _cli = new();

    [Fact]
    public async Task Given_a_file_When_ingested_Then_its_progress_row_is_finished_with_every_record_and_byte()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd-2026-03-14.csv");
        var dataRows = File.ReadAllLines(file).Length - 1;
        var app = HubApplication.Build(new HubRunSettings(_cli.ConfigFile, Watch: false, Dispatch: false, Web: false));
        try
        {
            var intake = app.Validated().Services.GetRequiredService<FeedIntake>();
            await app.StartAsync();
            var feed = app.Services.GetRequiredService<FeedCatalog>().Get(FeedId);

            var result = await intake.IngestPathAsync(feed, file, CancellationToken.None);

            Assert.Equal(PathIngestStatus.Ingested, result.Status);
            Assert.Equal(dataRows, result.Counts!.Total);
            var store = app.Services.GetRequiredService<IIntakeProgressStore>();
            var row = Assert.Single(await store.ListAsync(FeedId, DateTimeOffset.MinValue, 10, CancellationToken.None));
            Assert.Equal(Path.GetFileName(file), row.SourceName);
            Assert.Equal(await IngestRun.HashFileAsync(file, CancellationToken.None), row.Sha256);
            Assert.Equal(dataRows, row.RecordsDone);
            Assert.Equal(new FileInfo(file).Length, row.BytesTotal);
            Assert.Equal(row.BytesTotal, row.BytesDone);
            Assert.NotNull(row.FinishedAtUtc);
            Assert.False(row.IsRunning);
            Assert.True(row.StartedAtUtc <= row.FinishedAtUtc);
            Assert.Contains(":", row.Instance, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(app);
        }
    }

    [Fact]
    public async Task Given_inputs_being_read_When_feeds_list_runs_Then_each_shows_records_percent_rate_and_an_old_one_is_stalled()
    {
        var app = HubApplication.Build(new HubRunSettings(_cli.ConfigFile, Watch: false, Dispatch: false, Web: false));
        var now = DateTimeOffset.UtcNow;
        try
        {
            await app.StartAsync();
            var store = app.Services.GetRequiredService<IIntakeProgressStore>();
            await store.StartAsync(new IntakeProgress(FeedId, "aa11", "state-export.xml", "node-1:100", now.AddSeconds(-20), now.AddSeconds(-20), 4000, 0, 0, 0, null), CancellationToken.None);
            await store.UpdateAsync(new IntakeProgress(FeedId, "aa11", "state-export.xml", "node-1:100", now.AddSeconds(-20), now, 4000, 1000, 1234, 61.7, null), CancellationToken.None);
            await store.StartAsync(new IntakeProgress(FeedId, "bb22", "stuck.xml", "node-2:200", now.AddMinutes(-30), now.AddMinutes(-10), 8000, 2000, 50, 0.2, null), CancellationToken.None);
            await store.StartAsync(new IntakeProgress(FeedId, "cc33", "done.xml", "node-1:100", now.AddMinutes(-5), now.AddMinutes(-5), 10, 0, 0, 0, null), CancellationToken.None);
            await store.FinishAsync(new IntakeProgress(FeedId, "cc33", "done.xml", "node-1:100", now.AddMinutes(-5), now.AddMinutes(-4), 10, 10, 3, 1, null), CancellationToken.None);
        }
        finally
        {
            await StopAsync(app);
        }

        var (exit, stdout, stderr) = await HubProcess.RunAsync(_cli.Folder, "feeds", "list", "--config", _cli.ConfigFile);

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var running = Assert.Single(lines, l => l.Contains("state-export.xml", StringComparison.Ordinal));
        Assert.StartsWith("reading  state-export.xml  records=1234  25.0% of 4000 bytes  62 records/s  started ", running, StringComparison.Ordinal);
        Assert.Contains("on node-1:100", running, StringComparison.Ordinal);
        var stalled = Assert.Single(lines, l => l.Contains("stuck.xml", StringComparison.Ordinal));
        Assert.StartsWith("STALLED (no progress for ", stalled, StringComparison.Ordinal);
        Assert.Contains("records=50  25.0% of 8000 bytes", stalled, StringComparison.Ordinal);

        // A finished input is not "being read".
        Assert.DoesNotContain(lines, l => l.Contains("done.xml", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_an_input_of_unknown_size_When_formatted_Then_it_says_so_and_is_not_stalled_while_fresh()
    {
        var now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        var folder = new IntakeProgress(FeedId, "dd44", "bulk-export", "node-1:100", now.AddSeconds(-30), now.AddSeconds(-59), 0, 0, 10, 0.2, null);

        var line = FeedsCommands.FormatRunning(folder, now, TimeSpan.FromSeconds(60));

        Assert.StartsWith("    reading  bulk-export  records=10  size unknown  0 records/s", line, StringComparison.Ordinal);
        Assert.StartsWith("    STALLED (no progress for 61 s; read again from the start when next found)", FeedsCommands.FormatRunning(folder, now.AddSeconds(2), TimeSpan.FromSeconds(60)), StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
