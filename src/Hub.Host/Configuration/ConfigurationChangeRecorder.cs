using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Audit.Accounting;
using Hub.Audit.Ledger;
using Hub.Deidentification.Profiles;
using Hub.Host.Feeds;
using Hub.Routing.Recipients;
using Hub.Routing.Spikes;

namespace Hub.Host.Configuration;

/// <summary>
/// Records configuration changes in the ledger: at start, digests the reviewed configuration (recipients,
/// jurisdictions, agreements, feeds, disclosure profiles) and appends a <c>configuration-changed</c> entry when the
/// digest differs from the last one recorded, naming the sections that changed. An auditor can then tell under which
/// agreements and profiles every later disclosure was made. Secrets (keys, webhook secrets, connection strings,
/// passwords) are never part of the digest, so the entry reveals nothing about them; the entry holds no PHI.
/// </summary>
internal sealed partial class ConfigurationChangeRecorder(
    IOptions<RecipientsOptions> recipients,
    IOptions<SpikeOptions> spikes,
    AgreementCatalog agreements,
    FeedCatalog feeds,
    ProfileCatalog profiles,
    ILedger ledger,
    DisclosureQueries queries,
    ILogger<ConfigurationChangeRecorder> logger) : IHostedService
{
    /// <summary>The ledger actor of configuration entries.</summary>
    public const string Actor = "hub";

    /// <summary>The section names, in digest order.</summary>
    public static IReadOnlyList<string> Sections { get; } = ["recipients", "jurisdictions", "agreements", "feeds", "profiles"];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken) => await RecordAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Appends an entry when the configuration differs from the last recorded one; returns it (null when unchanged).</summary>
    public async Task<LedgerEntry?> RecordAsync(CancellationToken cancellationToken)
    {
        var current = Digest();
        var latest = await queries.FindLatestAsync(LedgerActions.ConfigurationChanged, cancellationToken).ConfigureAwait(false);
        var previous = latest?.Content.DetailsJson is { } json ? ReadSections(json) : null;
        var changed = Sections.Where(s => previous is null || !previous.TryGetValue(s, out var hash) || hash != current.Sections[s]).ToList();
        if (changed.Count == 0)
        {
            LogUnchanged(logger, latest!.Sequence);
            return null;
        }

        var stored = await ledger.AppendAsync(
            [new LedgerEntryDraft { Actor = Actor, Action = LedgerActions.ConfigurationChanged, DetailsJson = DetailsJson(current, changed, previous is null) }],
            cancellationToken).ConfigureAwait(false);
        LogRecorded(logger, stored[0].Sequence, changed.Count);
        return stored[0];
    }

    /// <summary>The digest of the current configuration: one SHA-256 per section and one over them all.</summary>
    public ConfigurationDigest Digest()
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["recipients"] = Hash(w => WriteRecipients(w, recipients.Value.Recipients)),
            ["jurisdictions"] = Hash(w => WriteJurisdictions(w, spikes.Value)),
            ["agreements"] = Hash(w => WriteAgreements(w, agreements.All)),
            ["feeds"] = Hash(w => WriteFeeds(w, feeds.All)),
            ["profiles"] = Hash(w => WriteProfiles(w, profiles)),
        };
        var all = string.Concat(Sections.Select(s => s + ":" + sections[s] + "\n"));
        return new ConfigurationDigest(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all))), sections);
    }

    private static string DetailsJson(ConfigurationDigest digest, IReadOnlyList<string> changed, bool first)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("digest", digest.Value);
            w.WriteBoolean("first", first);
            w.WriteStartArray("changed");
            foreach (var section in changed)
            {
                w.WriteStringValue(section);
            }

            w.WriteEndArray();
            w.WriteStartObject("sections");
            foreach (var section in Sections)
            {
                w.WriteString(section, digest.Sections[section]);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The per-section hashes of a recorded entry; null when the entry is not in this format.</summary>
    private static Dictionary<string, string>? ReadSections(string detailsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(detailsJson);
            if (!document.RootElement.TryGetProperty("sections", out var sections) || sections.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return sections.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Hash(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    // Each writer lists the reviewed, non-secret settings in a fixed order, sorted by id, so the digest depends on
    // content only. Deliberately left out: PseudonymKey, Delivery.WebhookSecret, the webhook URL's user info and query.
    private static void WriteRecipients(Utf8JsonWriter w, IEnumerable<RecipientOptions> all)
    {
        w.WriteStartArray();
        foreach (var r in all.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            w.WriteString("name", r.Name);
            w.WriteString("kind", r.Kind);
            w.WriteString("address", r.Address);
            w.WriteString("profile", r.Profile);
            w.WriteBoolean("spikeAlerts", r.ReceivesSpikeAlerts);
            Strings(w, "counties", r.Jurisdiction.CountyFips);
            Strings(w, "municipalities", r.Jurisdiction.Municipalities.Select(m => m.Name + ", " + m.State));
            Strings(w, "zips", r.Jurisdiction.ZipCodes);
            w.WriteString("polygon", r.Jurisdiction.PolygonFile);
            Strings(w, "sourceKinds", r.Filters.SourceKinds.Select(k => k.ToString()));
            Strings(w, "substances", r.Filters.Substances.Select(k => k.ToString()));
            w.WriteString("fatal", r.Filters.Fatal);
            w.WriteString("minors", r.Filters.Minors);
            Strings(w, "dispositions", r.Filters.Dispositions.Select(k => k.ToString()));
            if (r.Hours is { } hours)
            {
                w.WriteString("hours", string.Create(
                    CultureInfo.InvariantCulture,
                    $"{hours.TimeZone} {string.Join(',', hours.Days)} {hours.Start:HH\\:mm}-{hours.End:HH\\:mm} after:{hours.AfterHoursRecipientId}"));
            }

            w.WriteString("channel", r.Delivery.Channel);
            w.WriteString("webhook", r.Delivery.WebhookUrl is { } url ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : null);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteJurisdictions(Utf8JsonWriter w, SpikeOptions spikes)
    {
        w.WriteStartObject();
        w.WriteString("window", spikes.Window.ToString("c", CultureInfo.InvariantCulture));
        w.WriteStartArray("spikes");
        foreach (var j in spikes.Jurisdictions.OrderBy(j => j.Id, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("id", j.Id);
            w.WriteString("name", j.Name);
            w.WriteString("method", j.Method);
            if (j.Threshold is { } threshold)
            {
                w.WriteNumber("threshold", threshold);
            }

            w.WriteNumber("baselineWeeks", j.BaselineWeeks);
            w.WriteNumber("baselineK", j.BaselineK);
            w.WriteNumber("minimumCount", j.MinimumCount);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAgreements(Utf8JsonWriter w, IEnumerable<Hub.Contracts.Sharing.DataSharingAgreement> all)
    {
        w.WriteStartArray();
        foreach (var a in all.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("id", a.Id);
            w.WriteString("version", a.Version);
            w.WriteString("name", a.Name);
            Strings(w, "sourceAgencies", a.SourceAgencyIds);
            w.WriteString("recipient", a.RecipientId);
            w.WriteString("purpose", a.Purpose);
            w.WriteString("legalBasis", a.LegalBasis);
            w.WriteString("maxProfile", a.MaxProfile);
            w.WriteString("effectiveFrom", a.EffectiveFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("expiresOn", a.ExpiresOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteBoolean("allowsMinors", a.AllowsMinors);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFeeds(Utf8JsonWriter w, IEnumerable<Hub.Adapters.Feeds.FeedOptions> all)
    {
        w.WriteStartArray();
        foreach (var f in all.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("id", f.Id);
            w.WriteString("kind", f.Kind.ToString());
            w.WriteString("agency", f.AgencyId);
            w.WriteString("definitionScope", f.DefinitionScope);
            w.WriteBoolean("keepNarrative", f.KeepNarrative);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteProfiles(Utf8JsonWriter w, ProfileCatalog catalog)
    {
        w.WriteStartObject();
        w.WriteString("defaultZip3List", catalog.DefaultZip3List.Version);
        Strings(w, "profiles", catalog.Profiles.Select(p => p.Name + "@" + p.Version));
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string?> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Configuration changed: ledger entry {Sequence} names {Sections} changed section(s)")]
    private static partial void LogRecorded(ILogger logger, long sequence, int sections);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Debug, Message = "Configuration unchanged since ledger entry {Sequence}")]
    private static partial void LogUnchanged(ILogger logger, long sequence);
}

/// <summary>A configuration digest: the overall SHA-256 and one per section (hex).</summary>
/// <param name="Value">SHA-256 over the section hashes, in <see cref="ConfigurationChangeRecorder.Sections"/> order.</param>
/// <param name="Sections">Section name to the SHA-256 of its canonical JSON.</param>
internal sealed record ConfigurationDigest(string Value, IReadOnlyDictionary<string, string> Sections);
