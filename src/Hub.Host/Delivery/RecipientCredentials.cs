using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Host.Delivery;

/// <summary>
/// The per-recipient delivery secrets that live beside <c>Hub:Recipients:N:Delivery</c> but belong to the host:
/// <c>QueuePassword</c> (the recipient's RabbitMQ password) and <c>ApiKeySha256</c> (hex SHA-256 of its HTTP API key).
/// Both come from the environment (e.g. <c>HUB__Recipients__0__Delivery__QueuePassword</c>), never appsettings.json.
/// </summary>
internal sealed class RecipientCredentials(IConfiguration configuration)
{
    /// <summary>The RabbitMQ user name of a recipient: its own namespace, so provisioning never touches other users.</summary>
    public const string UserPrefix = "hub-recipient-";

    /// <summary>The configured recipients in order, with their secrets.</summary>
    public IReadOnlyList<RecipientSecret> All()
    {
        var list = new List<RecipientSecret>();
        var children = configuration.GetSection("Hub:Recipients").GetChildren()
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue);
        foreach (var child in children)
        {
            var id = child["Id"];
            if (string.IsNullOrWhiteSpace(id))
            {
                continue;
            }

            list.Add(new RecipientSecret(
                id,
                child.Key,
                child["Delivery:Channel"] ?? Hub.Routing.Recipients.DeliveryChannels.Queue,
                child["Delivery:QueuePassword"],
                child["Delivery:ApiKeySha256"]));
        }

        return list;
    }

    /// <summary>The recipient whose API key hashes to the configured hash; null when none does.</summary>
    public string? RecipientOfApiKey(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
        foreach (var r in All())
        {
            if (r.ApiKeySha256 is { Length: 64 } hex && CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(hex)))
            {
                return r.Id;
            }
        }

        return null;
    }

    /// <summary>The RabbitMQ user of a recipient.</summary>
    public static string UserOf(string recipientId) => UserPrefix + recipientId;
}

/// <summary>A recipient's id, configuration index and secrets.</summary>
internal sealed record RecipientSecret(string Id, string Index, string Channel, string? QueuePassword, string? ApiKeySha256);
