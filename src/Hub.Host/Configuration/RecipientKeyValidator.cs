using Hub.Routing.Recipients;

namespace Hub.Host.Configuration;

/// <summary>
/// Every recipient needs its own secret pseudonym key (base64, at least 32 bytes), so two recipients can never
/// join their data. A missing or weak key stops the hub at start rather than weakening a pseudonym.
/// </summary>
internal sealed class RecipientKeyValidator : IValidateOptions<RecipientsOptions>
{
    public ValidateOptionsResult Validate(string? name, RecipientsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Recipients.Count; i++)
        {
            var r = options.Recipients[i];
            var where = $"{RecipientsOptions.Section}:{i} ({r.Id}):PseudonymKey";
            if (string.IsNullOrWhiteSpace(r.PseudonymKey))
            {
                failures.Add($"{where} is required: a base64 secret of at least 32 bytes, e.g. from HUB__Recipients__{i}__PseudonymKey.");
                continue;
            }

            var buffer = new byte[r.PseudonymKey.Length];
            if (!Convert.TryFromBase64String(r.PseudonymKey, buffer, out var length))
            {
                failures.Add($"{where} is not valid base64.");
            }
            else if (length < 32)
            {
                failures.Add($"{where} is {length} bytes; at least 32 are required.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
