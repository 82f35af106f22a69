using System.CommandLine;
using System.Globalization;
using Hub.Audit.Accounting;
using Hub.Audit.Console;
using Hub.Audit.Ledger;
using Hub.Audit.Reports;
using Hub.Audit.Storage;
using Hub.Contracts.Model;
using Hub.Deidentification.Methods;
using Hub.Deidentification.Pseudonyms;
using Hub.Host.Web.Console;
using Hub.Routing.Recipients;
using Microsoft.AspNetCore.Identity;

namespace Hub.Host.Cli;

/// <summary>
/// <c>hub audit verify | checkpoint | accounting | disclosures</c>: proving the ledger intact, signing its head now,
/// the accounting of disclosures of one person (45 CFR 164.528) and the view of one recipient's disclosures.
/// </summary>
internal static class AuditCommands
{
    /// <summary>The console role the accounting and the recipient view require.</summary>
    public const string PrivacyOfficerRole = ConsoleRoles.PrivacyOfficer;

    /// <summary>The environment variable a script sets the console password in (otherwise it is read from stdin).</summary>
    public const string PasswordVariable = "HUB_CONSOLE_PASSWORD";

    /// <summary>The ledger actor of a refused attempt by a name that is no console account (the name may be a mistyped password).</summary>
    public const string UnknownUserActor = "unknown-user";

    private const string AccountingKind = "accounting-of-disclosures";
    private const string RecipientViewKind = "recipient-disclosures";

    /// <summary>Exit code when the ledger is not intact.</summary>
    public const int NotIntact = 1;

    /// <summary>Exit code when the caller is not a verified privacy officer.</summary>
    public const int Refused = 3;

    /// <summary>Exit code for unusable arguments.</summary>
    public const int BadArguments = 2;

    public static Command Create()
    {
        var audit = new Command("audit", "The disclosure ledger: verification, checkpoints, accounting of disclosures.");
        audit.Subcommands.Add(Verify());
        audit.Subcommands.Add(Checkpoint());
        audit.Subcommands.Add(Accounting());
        audit.Subcommands.Add(Disclosures());
        return audit;
    }

    private static Command Verify()
    {
        var verify = new Command("verify", "Re-walk the hash chain and every signed checkpoint; exit 0 only when the ledger is intact, 1 naming the first bad sequence otherwise.");
        verify.SetAction(async (parse, ct) =>
        {
            await using var app = await OpenAsync(parse, ct).ConfigureAwait(false);
            var result = await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(ct).ConfigureAwait(false);
            var output = Console.Out;
            await output.WriteLineAsync(Line($"Entries checked: {result.EntriesChecked}")).ConfigureAwait(false);
            await output.WriteLineAsync(Line($"Checkpoints checked: {result.CheckpointsChecked}")).ConfigureAwait(false);
            await output.WriteLineAsync(result.LastCheckpoint is { } last
                ? Line($"Last checkpoint: sequence {last.Sequence} at {last.CreatedAtUtc:O} (key {last.KeyId})")
                : "Last checkpoint: none").ConfigureAwait(false);
            if (result.Intact)
            {
                await output.WriteLineAsync("Ledger is intact.").ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync(result.FirstBadSequence is { } bad
                ? Line($"Ledger is NOT intact: first bad sequence {bad}: {result.Reason}")
                : Line($"Ledger is NOT intact: {result.Reason}")).ConfigureAwait(false);
            return NotIntact;
        });
        return verify;
    }

    private static Command Checkpoint()
    {
        var checkpoint = new Command("checkpoint", "Sign the ledger's current head now and write the checkpoint file (Hub:Audit:CheckpointFolder).");
        checkpoint.SetAction(async (parse, ct) =>
        {
            await using var app = await OpenAsync(parse, ct).ConfigureAwait(false);
            var file = await app.Services.GetRequiredService<LedgerCheckpointer>().WriteCheckpointAsync(ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(Line($"Checkpoint written: sequence {file.Checkpoint.Sequence}, {file.Path}")).ConfigureAwait(false);
            return 0;
        });
        return checkpoint;
    }

    private static Command Accounting()
    {
        var command = new Command("accounting", "The accounting of disclosures of one person over the last six years (45 CFR 164.528). Privacy officer only.");
        var user = UserOption();
        var family = new Option<string>("--person-family") { Description = "The person's family name.", Required = true };
        var given = new Option<string>("--person-given") { Description = "The person's given name.", Required = true };
        var birth = new Option<string>("--birth-date") { Description = "Date of birth, yyyy-MM-dd.", Required = true };
        var sex = new Option<string?>("--sex") { Description = "Sex as recorded (M/F/…), improves matching." };
        var zip = new Option<string?>("--zip") { Description = "Home ZIP code, improves matching." };
        var phone = new Option<string?>("--phone") { Description = "Phone number, improves matching." };
        var asOf = new Option<string?>("--as-of") { Description = "The date the accounting is requested (yyyy-MM-dd or ISO 8601 instant, UTC); default now." };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV to this file." };
        foreach (var option in new Option[] { user, family, given, birth, sex, zip, phone, asOf, csv })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(birth), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate))
            {
                await Console.Error.WriteLineAsync("--birth-date must be yyyy-MM-dd.").ConfigureAwait(false);
                return BadArguments;
            }

            await using var app = await OpenAsync(parse, ct).ConfigureAwait(false);
            var officer = await AuthenticateAsync(app.Services, parse.GetValue(user)!, AccountingKind, ct).ConfigureAwait(false);
            if (officer is null)
            {
                return Refused;
            }

            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (!TryParseInstant(parse.GetValue(asOf), now, endOfDay: true, out var asOfUtc))
            {
                await Console.Error.WriteLineAsync("--as-of must be yyyy-MM-dd or an ISO 8601 instant.").ConfigureAwait(false);
                return BadArguments;
            }

            var subject = new SubjectIdentity
            {
                FamilyName = parse.GetValue(family),
                GivenName = parse.GetValue(given),
                BirthDate = birthDate,
                Sex = parse.GetValue(sex),
                Phone = parse.GetValue(phone),
                HomeAddress = parse.GetValue(zip) is { } z ? new PostalAddress { Zip = z } : null,
            };
            var recipients = app.Services.GetRequiredService<IOptions<RecipientsOptions>>().Value.Recipients;
            var pseudonyms = PersonPseudonyms.For(app.Services.GetRequiredService<IPersonTokenizer>(), subject, recipients);
            var directory = Directory(recipients);
            var report = await app.Services.GetRequiredService<DisclosureAccounting>().BuildAsync(pseudonyms, asOfUtc, directory, ct).ConfigureAwait(false);
            await Console.Out.WriteAsync(DisclosureAccounting.RenderText(report)).ConfigureAwait(false);
            if (parse.GetValue(csv) is { } file)
            {
                await using (var writer = new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false)))
                {
                    DisclosureAccounting.WriteCsv(report, writer);
                }

                await Console.Out.WriteLineAsync("CSV written: " + file.FullName).ConfigureAwait(false);
            }

            // The accounting itself is an access worth recording: counts only, no identity.
            await app.Services.GetRequiredService<ILedger>().AppendAsync(
                [new LedgerEntryDraft
                {
                    Actor = officer,
                    Action = LedgerActions.Viewed,
                    DetailsJson = Line($"{{\"kind\":\"{AccountingKind}\",\"role\":\"{PrivacyOfficerRole}\",\"lines\":{report.Lines.Count},\"disclosures\":{report.Disclosures},\"csv\":{(parse.GetValue(csv) is null ? "false" : "true")}}}"),
                }],
                ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Disclosures()
    {
        var command = new Command("disclosures", "Every disclosure to one recipient in a time range (from inclusive, to exclusive). Privacy officer only.");
        var user = UserOption();
        var recipient = new Option<string>("--recipient") { Description = "The recipient id.", Required = true };
        var from = new Option<string>("--from") { Description = "Start, yyyy-MM-dd or ISO 8601 instant (UTC).", Required = true };
        var to = new Option<string>("--to") { Description = "End (exclusive), yyyy-MM-dd or ISO 8601 instant (UTC).", Required = true };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the list as CSV to this file." };
        foreach (var option in new Option[] { user, recipient, from, to, csv })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var now = DateTimeOffset.UnixEpoch;
            if (!TryParseInstant(parse.GetValue(from), now, endOfDay: false, out var fromUtc) || !TryParseInstant(parse.GetValue(to), now, endOfDay: false, out var toUtc))
            {
                await Console.Error.WriteLineAsync("--from and --to must be yyyy-MM-dd or ISO 8601 instants.").ConfigureAwait(false);
                return BadArguments;
            }

            await using var app = await OpenAsync(parse, ct).ConfigureAwait(false);
            var officer = await AuthenticateAsync(app.Services, parse.GetValue(user)!, RecipientViewKind, ct).ConfigureAwait(false);
            if (officer is null)
            {
                return Refused;
            }

            var recipientId = parse.GetValue(recipient)!;
            var entries = await app.Services.GetRequiredService<DisclosureQueries>().ListByRecipientAsync(recipientId, fromUtc, toUtc, ct).ConfigureAwait(false);
            var output = Console.Out;
            await output.WriteLineAsync(Line($"Disclosures to {recipientId} from {fromUtc:O} to {toUtc:O}: {entries.Count}")).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                var c = entry.Content;
                await output.WriteLineAsync(Line($"  #{entry.Sequence} {entry.TimestampUtc:O} agreement {c.AgreementId} purpose {c.Purpose} profile {c.Profile} fields {c.Fields.Count}")).ConfigureAwait(false);
            }

            if (parse.GetValue(csv) is { } file)
            {
                await using (var writer = new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false)))
                {
                    WriteDisclosuresCsv(entries, writer);
                }

                await output.WriteLineAsync("CSV written: " + file.FullName).ConfigureAwait(false);
            }

            await app.Services.GetRequiredService<ILedger>().AppendAsync(
                [new LedgerEntryDraft
                {
                    Actor = officer,
                    Action = LedgerActions.Viewed,
                    RecipientId = recipientId,
                    DetailsJson = Line($"{{\"kind\":\"{RecipientViewKind}\",\"role\":\"{PrivacyOfficerRole}\",\"from\":\"{fromUtc:O}\",\"to\":\"{toUtc:O}\",\"entries\":{entries.Count},\"csv\":{(parse.GetValue(csv) is null ? "false" : "true")}}}"),
                }],
                ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Option<string> UserOption() => new("--user")
    {
        Description = $"Your console account (role privacy-officer). The password is read from {PasswordVariable}, else from stdin (not echoed at a terminal).",
        Required = true,
    };

    /// <summary>
    /// Verifies the caller against the console's local accounts: the password (from <see cref="PasswordVariable"/> or
    /// stdin) must match the stored hash and the role must be privacy-officer. Returns the account name to use as the
    /// ledger actor; null when refused, after writing why to stderr and recording the refused attempt in the ledger
    /// (no person data: the command's person arguments are never looked at before this succeeds).
    /// </summary>
    internal static async Task<string?> AuthenticateAsync(IServiceProvider services, string name, string kind, CancellationToken cancellationToken)
    {
        var password = await ReadPasswordAsync(cancellationToken).ConfigureAwait(false);
        var users = services.GetRequiredService<ConsoleUserStore>();
        var verified = await ConsoleCredentials.VerifyAsync(users, services.GetRequiredService<IPasswordHasher<ConsoleUser>>(), name, password, cancellationToken).ConfigureAwait(false);

        // A known name with a wrong password is still recorded under that name (an unknown one as UnknownUserActor).
        var account = verified ?? (string.IsNullOrEmpty(name) ? null : await users.FindAsync(name, cancellationToken).ConfigureAwait(false));
        string? reason = verified is null ? "bad-credentials" : verified.Role != PrivacyOfficerRole ? "not-privacy-officer" : null;
        if (reason is null)
        {
            return verified!.Name;
        }

        await services.GetRequiredService<ILedger>().AppendAsync(
            [new LedgerEntryDraft
            {
                Actor = account?.Name ?? UnknownUserActor,
                Action = LedgerActions.Viewed,
                DetailsJson = Line($"{{\"kind\":\"{kind}\",\"outcome\":\"refused\",\"reason\":\"{reason}\"}}"),
            }],
            cancellationToken).ConfigureAwait(false);
        await Console.Error.WriteLineAsync(reason == "bad-credentials"
            ? $"Refused: the user name or password is not right (password from {PasswordVariable} or stdin). The attempt was recorded in the ledger."
            : "Refused: only a console user with the privacy-officer role may run this. The attempt was recorded in the ledger.").ConfigureAwait(false);
        return null;
    }

    /// <summary>The password from <see cref="PasswordVariable"/>, else the first line of stdin, read without echo at a terminal.</summary>
    private static async Task<string> ReadPasswordAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (Console.IsInputRedirected)
        {
            return (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.TrimEnd('\r') ?? string.Empty;
        }

        await Console.Error.WriteAsync("Password: ").ConfigureAwait(false);
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        await Console.Error.WriteLineAsync().ConfigureAwait(false);
        return typed.ToString();
    }

    /// <summary>The recipient view as CSV, through the hub's one safe CSV writer.</summary>
    internal static void WriteDisclosuresCsv(IEnumerable<LedgerEntry> entries, TextWriter output)
    {
        var csv = new SafeCsvWriter(output);
        csv.WriteRow("sequence", "disclosed_utc", "recipient", "agreement", "purpose", "legal_basis", "profile", "person_pseudonym", "fields", "payload_sha256");
        foreach (var entry in entries)
        {
            var c = entry.Content;
            csv.WriteRow(
                entry.Sequence.ToString(CultureInfo.InvariantCulture),
                entry.TimestampUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                c.RecipientId, c.AgreementId, c.Purpose, c.LegalBasis, c.Profile, c.PersonPseudonym, string.Join(' ', c.Fields), c.PayloadSha256);
        }
    }

    private static Dictionary<string, RecipientContact> Directory(IEnumerable<RecipientOptions> recipients) =>
        recipients.ToDictionary(r => r.Id, r => new RecipientContact(r.Id, string.IsNullOrWhiteSpace(r.Name) ? r.Id : r.Name, r.Address), StringComparer.Ordinal);

    /// <summary>A hub for a one-off audit command: no watcher, dispatcher or HTTP; schema migrated.</summary>
    private static async Task<WebApplication> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var app = HubApplication.Build(new HubRunSettings(HubCommandLine.ConfigFile(parse), Watch: false, Dispatch: false, Web: false));
        await app.Services.GetRequiredService<HubDatabase>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    private static bool TryParseInstant(string? text, DateTimeOffset fallback, bool endOfDay, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            value = endOfDay ? start.AddDays(1).AddTicks(-1) : start;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The ledger stores, per disclosure, the pseudonym the privacy stage computed for that recipient:
/// HMAC-SHA256(recipient key, "person|" + the person's primary hub token). To find every disclosure about a person
/// across recipients, this computes, for each configured recipient and each token the identity yields (the primary
/// token depends on which fields the sources had), the pseudonym that recipient would have been given.
/// </summary>
internal static class PersonPseudonyms
{
    public static IReadOnlyList<string> For(IPersonTokenizer tokenizer, SubjectIdentity subject, IEnumerable<RecipientOptions> recipients)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(recipients);
        var location = new EventLocation { Zip = subject.HomeAddress?.Zip };
        var tokens = tokenizer.Tokenize(subject, location);
        var pseudonyms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recipient in recipients)
        {
            if (string.IsNullOrWhiteSpace(recipient.PseudonymKey))
            {
                continue;
            }

            var key = Convert.FromBase64String(recipient.PseudonymKey);
            foreach (var token in tokens)
            {
                pseudonyms.Add(Keyed.HmacHex(key, "person|" + token.Value));
            }
        }

        return [.. pseudonyms];
    }
}
