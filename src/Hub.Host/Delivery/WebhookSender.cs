using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hub.Audit.Outbox;
using Hub.Routing.Recipients;

namespace Hub.Host.Delivery;

/// <summary>
/// Webhook delivery: HTTPS POST of the JSON body, signed with HMAC-SHA256 over "{timestamp}.{body}" with the
/// recipient's webhook secret. Headers: <c>Hub-Timestamp</c> (Unix seconds), <c>Hub-Signature</c>
/// (<c>sha256=hex</c>), <c>Hub-Message-Id</c>. A 2xx is a delivery; anything else throws and is retried.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, IOptions<RecipientsOptions> recipients, TimeProvider time)
{
    public const string ClientName = "hub-webhooks";

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var recipient = recipients.Value.Recipients.FirstOrDefault(r => r.Id == message.RecipientId)
            ?? throw new InvalidOperationException($"Recipient '{message.RecipientId}' is no longer configured.");
        var secret = recipient.Delivery.WebhookSecret
            ?? throw new InvalidOperationException($"Recipient '{message.RecipientId}' has no webhook secret.");
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign(secret, timestamp, message.PayloadJson);

        using var request = new HttpRequestMessage(HttpMethod.Post, message.Destination)
        {
            Content = new StringContent(message.PayloadJson, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Hub-Timestamp", timestamp);
        request.Headers.Add("Hub-Signature", "sha256=" + signature);
        request.Headers.Add("Hub-Message-Id", message.MessageId.ToString());
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Webhook of '{message.RecipientId}' answered {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }

    /// <summary>The signature a receiver recomputes to verify a delivery.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    /// <summary>
    /// For receivers: true when <paramref name="signatureHeader"/> (<c>sha256=hex</c>) is the HMAC of
    /// "{timestamp}.{body}" under <paramref name="secret"/> and the timestamp is within <paramref name="tolerance"/> of
    /// <paramref name="now"/> (replay protection). Compares in constant time.
    /// </summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        if (timestampHeader is null || signatureHeader is null || !signatureHeader.StartsWith("sha256=", StringComparison.Ordinal)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestampHeader, body));
        var given = Encoding.ASCII.GetBytes(signatureHeader["sha256=".Length..]);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
