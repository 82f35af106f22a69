using System.Text.Json;
using Hub.Audit.Storage;
using Hub.Host.Feeds;

namespace Hub.Host.Tests.Feeds;

/// <summary>
/// Non-fatal problems of records that are still processed (here an unreadable eScene.11 point in a NEMSIS PCR) are
/// counted in the input's summary and kept for the feeds page, with the offending value masked.
/// </summary>
public sealed class IngestWarningsTests : IDisposable
{
    private const string FeedId = "county-ems";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-warnings-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Given_a_nemsis_file_with_an_unreadable_point_When_ingested_Then_the_warning_is_counted_and_stored_without_the_value()
    {
        Directory.CreateDirectory(_folder);
        var config = Path.Combine(_folder, "hub.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Hub = new
            {
                Database = new { ConnectionString = $"Data Source={Path.Combine(_folder, "hub.db")}" },
                Feeds = new[] { new { Id = FeedId, Kind = "Nemsis", AgencyId = "county-ems", TimeZone = "America/New_York" } },
            },
        }));
        var file = Path.Combine(_folder, "ems.xml");
        await File.WriteAllTextAsync(file, """
            <?xml version="1.0" encoding="UTF-8"?>
            <EMSDataSet xmlns="http://www.nemsis.org">
              <Header>
                <PatientCareReport UUID="00000000-0000-4000-8000-000000000001">
                  <eRecord><eRecord.01>W-1</eRecord.01></eRecord>
                  <eTimes><eTimes.01>2026-03-01T22:18:01-05:00</eTimes.01></eTimes>
                  <eScene><eScene.11>not-a-point-77</eScene.11><eScene.19>92101</eScene.19></eScene>
                  <eSituation><eSituation.11>T40.411A</eSituation.11></eSituation>
                </PatientCareReport>
                <PatientCareReport UUID="00000000-0000-4000-8000-000000000002">
                  <eRecord><eRecord.01>W-2</eRecord.01></eRecord>
                  <eTimes><eTimes.01>2026-03-01T23:18:01-05:00</eTimes.01></eTimes>
                  <eSituation><eSituation.11>F11.20</eSituation.11></eSituation>
                </PatientCareReport>
              </Header>
            </EMSDataSet>
            """);

        var app = HubApplication.Build(new HubRunSettings(config, Watch: false, Dispatch: false, Web: false));
        try
        {
            await app.StartAsync();
            var feed = app.Services.GetRequiredService<FeedCatalog>().Get(FeedId);
            var result = await app.Services.GetRequiredService<FeedIntake>().IngestPathAsync(feed, file, CancellationToken.None);
            Assert.Equal((PathIngestStatus.Ingested, 2), (result.Status, result.Counts!.Total));

            var store = app.Services.GetRequiredService<IIntakeStore>();
            var summary = Assert.Single(await store.ListSummariesAsync(FeedId, 10, CancellationToken.None));
            Assert.Equal(1, summary.Warnings);
            var warning = Assert.Single(await store.ListWarningsAsync(FeedId, 10, CancellationToken.None));
            Assert.StartsWith("eScene.11", warning.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("not-a-point-77", warning.Message, StringComparison.Ordinal);
            Assert.Equal("ems.xml", warning.SourceName);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
