using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Storage;
using Hub.Host.Jobs;
using Hub.Host.Pipeline;
using Hub.Host.Tests.Audit;
using Quartz;

namespace Hub.Host.Tests.Jobs;

/// <summary>The Quartz jobs, run once directly and through the scheduler the hub registers.</summary>
[Collection(AuditConsoleCollection.Name)]
public sealed class JobsTests
{
    [Fact]
    public async Task Given_a_ledger_When_the_checkpoint_job_runs_Then_a_signed_checkpoint_of_the_head_is_written()
    {
        await using var hub = AuditHub.Create();
        await hub.App.Services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        await hub.App.Services.GetRequiredService<ILedger>().AppendAsync(
            [.. Enumerable.Range(1, 5).Select(i => new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.Detected, CorrelationId = "e" + i })], CancellationToken.None);

        var file = await hub.App.Services.GetRequiredService<LedgerCheckpointJob>().RunAsync(CancellationToken.None);

        Assert.Equal(5, file.Checkpoint.Sequence);
        Assert.True(File.Exists(file.Path));
        var verified = await hub.App.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None);
        Assert.True(verified.Intact);
        Assert.Equal(1, verified.CheckpointsChecked);
    }

    [Fact]
    public async Task Given_a_fresh_outbox_When_the_retention_job_runs_Then_nothing_recent_is_purged()
    {
        await using var hub = AuditHub.Create();
        await hub.App.Services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        await hub.App.Services.GetRequiredService<EpisodeProcessor>().ProcessAsync(AuditHub.PoliceEvent("R-1", DateTimeOffset.UtcNow.AddHours(-1)), CancellationToken.None);

        var purged = await hub.App.Services.GetRequiredService<PayloadRetentionJob>().RunAsync(CancellationToken.None);

        Assert.Equal(0, purged);
        var pending = await hub.App.Services.GetRequiredService<IOutbox>().GetPendingAsync(10, CancellationToken.None);
        Assert.Single(pending);
        Assert.False(string.IsNullOrEmpty(pending[0].PayloadJson));
    }

    [Fact]
    public async Task Given_events_over_the_threshold_When_the_spike_job_runs_Then_one_alert_per_spike_goes_to_the_health_department_through_the_outbox()
    {
        await using var hub = AuditHub.Create();
        await hub.App.Services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        var processor = hub.App.Services.GetRequiredService<EpisodeProcessor>();
        var job = hub.App.Services.GetRequiredService<SpikeDetectionJob>();
        var now = DateTimeOffset.UtcNow;
        await processor.ProcessAsync(AuditHub.PoliceEvent("S-1", now.AddHours(-5), zip: "19401"), CancellationToken.None);
        await processor.ProcessAsync(AuditHub.PoliceEvent("S-2", now.AddHours(-3), zip: "19403"), CancellationToken.None);
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        await processor.ProcessAsync(AuditHub.PoliceEvent("S-3", now.AddHours(-1), zip: "19446"), CancellationToken.None);

        var first = await job.RunAsync(CancellationToken.None);
        var second = await job.RunAsync(CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        var pending = await hub.App.Services.GetRequiredService<IOutbox>().GetPendingAsync(100, CancellationToken.None);
        var alert = Assert.Single(pending, m => m.MessageType == SpikeAlertWriter.MessageType);
        Assert.Equal(AuditHub.HealthDepartmentId, alert.RecipientId);
        Assert.Equal("inbox", alert.Channel);
        using var body = JsonDocument.Parse(alert.PayloadJson);
        Assert.Equal(3, body.RootElement.GetProperty("eventCount").GetInt32());
        Assert.Equal(AuditHub.County, body.RootElement.GetProperty("jurisdictionId").GetString());

        var entries = await hub.LedgerAsync();
        var disclosure = Assert.Single(entries, e => e.Content.Action == LedgerActions.Disclosed && e.Content.RecipientId == AuditHub.HealthDepartmentId);
        Assert.Null(disclosure.Content.PersonPseudonym);
        Assert.Equal(SpikeAlertWriter.Profile, disclosure.Content.Profile);
        Assert.Equal(alert.MessageId.ToString(), disclosure.Content.CorrelationId);
    }

    [Fact]
    public async Task Given_the_running_hub_When_the_scheduler_triggers_the_checkpoint_job_Then_the_checkpoint_appears()
    {
        await using var hub = AuditHub.Create();
        await hub.App.StartAsync();
        var scheduler = await hub.App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);

        await scheduler.TriggerJob(LedgerCheckpointJob.Key, CancellationToken.None);

        await AuditHub.WaitUntilAsync(
            () => Task.FromResult(Directory.Exists(hub.CheckpointFolder) && Directory.EnumerateFiles(hub.CheckpointFolder, "ledger-checkpoint-*.json").Any()),
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Given_a_bad_schedule_When_the_configuration_is_validated_Then_the_key_is_named()
    {
        await using var hub = AuditHub.Create(new Dictionary<string, string?> { ["Hub:Jobs:SpikeDetectionCron"] = "every five minutes" });

        var ex = Assert.ThrowsAny<Exception>(() => hub.App.Validated());

        Assert.Contains("Hub:Jobs:SpikeDetectionCron", ex.ToString(), StringComparison.Ordinal);
    }
}
