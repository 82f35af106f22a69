using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Contracts.Model;
using Hub.Host.Pipeline;
using Microsoft.Data.Sqlite;

namespace Hub.Host.Tests.Audit;

/// <summary><c>hub audit verify | checkpoint | accounting | disclosures</c> on a real SQLite ledger written by the hub's pipeline.</summary>
[Collection(AuditConsoleCollection.Name)]
public sealed class AuditCliTests
{
    private static readonly SubjectIdentity Alexa = new() { FamilyName = "Quillfeather", GivenName = "Alexa", BirthDate = new DateOnly(1990, 4, 2), Sex = "F" };
    private const string OfficerPassword = "correct horse battery staple";
    private static readonly SubjectIdentity Other = new() { FamilyName = "Brightwater", GivenName = "Jonah", BirthDate = new DateOnly(1975, 11, 30), Sex = "M" };

    [Fact]
    public async Task Given_an_intact_ledger_with_a_checkpoint_When_verify_runs_Then_it_exits_0_with_the_counts()
    {
        await using var hub = AuditHub.Create();
        await hub.App.Services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        await AppendAsync(hub, 20);

        var (checkpointExit, checkpointOutput) = await hub.AuditAsync("checkpoint");
        var (exit, output) = await hub.AuditAsync("verify");

        Assert.Equal(0, checkpointExit);
        Assert.Contains("Checkpoint written: sequence 20", checkpointOutput, StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFiles(hub.CheckpointFolder, "ledger-checkpoint-*.json"));
        Assert.Equal(0, exit);
        Assert.Contains("Entries checked: 20", output, StringComparison.Ordinal);
        Assert.Contains("Checkpoints checked: 1", output, StringComparison.Ordinal);
        Assert.Contains("Last checkpoint: sequence 20", output, StringComparison.Ordinal);
        Assert.Contains("Ledger is intact.", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE ledger SET actor = 'mallory' WHERE sequence = 7", 7)]
    [InlineData("DELETE FROM ledger WHERE sequence = 12", 12)]
    [InlineData("DELETE FROM ledger WHERE sequence > 15", 16)]
    public async Task Given_a_ledger_tampered_at_the_database_When_verify_runs_Then_it_exits_1_naming_the_first_bad_sequence(string tamper, long firstBad)
    {
        await using var hub = AuditHub.Create();
        await hub.App.Services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        await AppendAsync(hub, 20);
        Assert.Equal(0, (await hub.AuditAsync("checkpoint")).ExitCode);

        // Bypassing the hub the way an owner of the file could: drop the append-only triggers, then edit.
        await using (var connection = new SqliteConnection($"Data Source={hub.DatabaseFile};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER IF EXISTS ledger_no_update; DROP TRIGGER IF EXISTS ledger_no_delete; " + tamper;
            await command.ExecuteNonQueryAsync();
        }

        var (exit, output) = await hub.AuditAsync("verify");

        Assert.Equal(1, exit);
        Assert.Contains($"first bad sequence {firstBad}:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_disclosures_made_by_the_pipeline_When_the_privacy_officer_asks_for_the_accounting_Then_the_report_and_a_safe_csv_list_them()
    {
        await using var hub = AuditHub.Create();
        await hub.App.StartAsync();
        var processor = hub.App.Services.GetRequiredService<EpisodeProcessor>();
        var now = DateTimeOffset.UtcNow;

        // Three separate overdoses of one person (days apart: three episodes), one of someone else.
        await processor.ProcessAsync(AuditHub.PoliceEvent("A-1", now.AddDays(-20), Alexa), CancellationToken.None);
        await processor.ProcessAsync(AuditHub.PoliceEvent("A-2", now.AddDays(-10), Alexa), CancellationToken.None);
        await processor.ProcessAsync(AuditHub.PoliceEvent("A-3", now.AddDays(-1), Alexa), CancellationToken.None);
        await processor.ProcessAsync(AuditHub.PoliceEvent("B-1", now.AddDays(-5), Other, zip: "19403"), CancellationToken.None);

        // Completeness: every disclosure is delivered, exactly once in the ledger.
        await AuditHub.WaitUntilAsync(async () => (await hub.LedgerAsync()).Count(e => e.Content.Action == LedgerActions.Delivered) >= 4, TimeSpan.FromSeconds(30));
        var ledger = await hub.LedgerAsync();
        var disclosed = ledger.Where(e => e.Content.Action == LedgerActions.Disclosed).ToList();
        var delivered = ledger.Where(e => e.Content.Action == LedgerActions.Delivered).ToList();
        Assert.Equal(4, disclosed.Count);
        Assert.Equal(disclosed.Select(e => e.Content.CorrelationId).Order(StringComparer.Ordinal), delivered.Select(e => e.Content.CorrelationId).Order(StringComparer.Ordinal));

        await hub.AddUserAsync("olga", "privacy-officer", OfficerPassword);
        var csv = Path.Combine(hub.Folder, "accounting.csv");
        var (exit, report, _) = await hub.AuditAsAsync(OfficerPassword,
            "accounting", "--user", "olga", "--person-family", "Quillfeather", "--person-given", "Alexa", "--birth-date", "1990-04-02", "--sex", "F", "--csv", csv);

        Assert.Equal(0, exit);
        Assert.Contains(AuditHub.RecipientName, report, StringComparison.Ordinal);
        Assert.Contains(AuditHub.RecipientAddress, report, StringComparison.Ordinal);
        Assert.DoesNotContain("Quillfeather", report, StringComparison.OrdinalIgnoreCase);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("first_disclosure_utc,last_disclosure_utc,count,recipient,recipient_address,purpose,description,agreements", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.Contains(",3,", row, StringComparison.Ordinal);
        Assert.Contains(AuditHub.RecipientName, row, StringComparison.Ordinal);
        Assert.Contains("PUBHLTH", row, StringComparison.Ordinal);

        // Seven years on, the same disclosures are outside the six-year window.
        var later = Path.Combine(hub.Folder, "later.csv");
        var (laterExit, _, _) = await hub.AuditAsAsync(OfficerPassword,
            "accounting", "--user", "olga", "--person-family", "Quillfeather", "--person-given", "Alexa", "--birth-date", "1990-04-02", "--sex", "F",
            "--as-of", now.AddYears(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "--csv", later);
        Assert.Equal(0, laterExit);
        Assert.Single(File.ReadAllLines(later));

        // Each accounting run was recorded as an access by the verified officer, without identity.
        var viewed = (await hub.LedgerAsync()).Where(e => e.Content.Action == LedgerActions.Viewed).ToList();
        Assert.Equal(2, viewed.Count);
        Assert.All(viewed, v => Assert.Equal("olga", v.Content.Actor));
        Assert.All(viewed, v => Assert.Contains("\"kind\":\"accounting-of-disclosures\"", v.Content.DetailsJson ?? "", StringComparison.Ordinal));
        Assert.All(viewed, v => Assert.DoesNotContain("Quillfeather", v.Content.DetailsJson ?? "", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("accounting", "fran", "feed-admin", OfficerPassword, "fran", "not-privacy-officer")]
    [InlineData("accounting", "olga", "privacy-officer", "not the password at all", "olga", "bad-credentials")]
    [InlineData("accounting", "nobody", null, OfficerPassword, "unknown-user", "bad-credentials")]
    [InlineData("disclosures", "fran", "feed-admin", OfficerPassword, "fran", "not-privacy-officer")]
    [InlineData("disclosures", "olga", "privacy-officer", "wrong-password-123", "olga", "bad-credentials")]
    public async Task Given_a_caller_who_is_not_a_verified_privacy_officer_When_the_accounting_or_recipient_view_is_asked_Then_it_exits_3_and_the_refusal_is_in_the_ledger(
        string command, string user, string? role, string password, string actor, string reason)
    {
        await using var hub = AuditHub.Create();
        await hub.App.Services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        await hub.AddUserAsync("olga", "privacy-officer", OfficerPassword);
        if (role is not null && user != "olga")
        {
            await hub.AddUserAsync(user, role, OfficerPassword);
        }

        string[] arguments = command == "accounting"
            ? ["accounting", "--user", user, "--person-family", "Quillfeather", "--person-given", "Alexa", "--birth-date", "1990-04-02"]
            : ["disclosures", "--user", user, "--recipient", AuditHub.RecipientId, "--from", "2020-01-01", "--to", "2030-01-01"];
        var (exit, output, error) = await hub.AuditAsAsync(password, arguments);

        Assert.Equal(3, exit);
        Assert.Equal("", output);
        Assert.Contains("Refused:", error, StringComparison.Ordinal);
        var refused = Assert.Single(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.Viewed);
        Assert.Equal(actor, refused.Content.Actor);
        Assert.Contains($"\"outcome\":\"refused\",\"reason\":\"{reason}\"", refused.Content.DetailsJson, StringComparison.Ordinal);
        Assert.DoesNotContain("Quillfeather", refused.Content.DetailsJson!, StringComparison.OrdinalIgnoreCase);
        Assert.Null(refused.Content.PersonPseudonym);
    }

    [Fact]
    public async Task Given_disclosures_to_a_recipient_When_listed_for_a_range_Then_exactly_those_appear_in_the_csv()
    {
        await using var hub = AuditHub.Create();
        await hub.App.Services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        var processor = hub.App.Services.GetRequiredService<EpisodeProcessor>();
        var now = DateTimeOffset.UtcNow;
        await processor.ProcessAsync(AuditHub.PoliceEvent("C-1", now.AddDays(-3), Alexa), CancellationToken.None);
        await processor.ProcessAsync(AuditHub.PoliceEvent("C-2", now.AddDays(-2), Other, zip: "19403"), CancellationToken.None);

        await hub.AddUserAsync("olga", "privacy-officer", OfficerPassword);
        var csv = Path.Combine(hub.Folder, "disclosures.csv");
        var today = now.UtcDateTime.Date;
        var (exit, output, _) = await hub.AuditAsAsync(OfficerPassword,
            "disclosures", "--user", "olga", "--recipient", AuditHub.RecipientId, "--from", today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            "--to", today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "--csv", csv);
        var (emptyExit, emptyOutput, _) = await hub.AuditAsAsync(OfficerPassword, "disclosures", "--user", "olga", "--recipient", AuditHub.RecipientId, "--from", "2020-01-01", "--to", "2020-02-01");

        Assert.Equal(0, exit);
        Assert.Contains(": 2", output, StringComparison.Ordinal);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("sequence,disclosed_utc,recipient,agreement,purpose", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.Contains(",montco-post,dsa-township-post,PUBHLTH,", l, StringComparison.Ordinal));
        Assert.Equal(0, emptyExit);
        Assert.Contains(": 0", emptyOutput, StringComparison.Ordinal);

        // Both views were recorded as accesses by the officer, naming the recipient and the count.
        var viewed = (await hub.LedgerAsync()).Where(e => e.Content.Action == LedgerActions.Viewed).ToList();
        Assert.Equal(2, viewed.Count);
        Assert.All(viewed, v => Assert.Equal(("olga", AuditHub.RecipientId), (v.Content.Actor, v.Content.RecipientId)));
        Assert.Contains("\"kind\":\"recipient-disclosures\"", viewed[0].Content.DetailsJson, StringComparison.Ordinal);
        Assert.Contains("\"entries\":2", viewed[0].Content.DetailsJson, StringComparison.Ordinal);
        Assert.Contains("\"entries\":0", viewed[1].Content.DetailsJson, StringComparison.Ordinal);
    }

    private static async Task AppendAsync(AuditHub hub, int count)
    {
        var drafts = Enumerable.Range(1, count)
            .Select(i => new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.Detected, CorrelationId = "event-" + i })
            .ToList();
        await hub.App.Services.GetRequiredService<ILedger>().AppendAsync(drafts, CancellationToken.None);
    }
}

/// <summary>Tests that redirect the process's stdout run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AuditConsoleCollection
{
    public const string Name = "audit-console";
}
