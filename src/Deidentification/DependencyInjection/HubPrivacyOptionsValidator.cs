using Hub.Deidentification.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.Deidentification.DependencyInjection;

/// <summary>Validates the privacy options and every rule file at start, reporting all problems at once.</summary>
internal sealed class HubPrivacyOptionsValidator : IValidateOptions<HubPrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, HubPrivacyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TokenKeyBase64))
        {
            failures.Add($"{nameof(HubPrivacyOptions.TokenKeyBase64)} is required (base64, at least 32 bytes).");
        }
        else if (TryDecode(options.TokenKeyBase64) is not { } key)
        {
            failures.Add($"{nameof(HubPrivacyOptions.TokenKeyBase64)} is not valid base64.");
        }
        else if (key.Length < ProfileValidator.MinimumKeyBytes)
        {
            failures.Add($"{nameof(HubPrivacyOptions.TokenKeyBase64)} decodes to {key.Length} bytes; at least {ProfileValidator.MinimumKeyBytes} are required.");
        }

        if (options.ProfileSource is not ("embedded" or "folder"))
        {
            failures.Add($"{nameof(HubPrivacyOptions.ProfileSource)} must be 'embedded' or 'folder'.");
        }
        else if (options.ProfileSource == "folder" && (string.IsNullOrWhiteSpace(options.ProfileFolder) || !Directory.Exists(options.ProfileFolder)))
        {
            failures.Add($"{nameof(HubPrivacyOptions.ProfileFolder)} must name an existing folder when {nameof(HubPrivacyOptions.ProfileSource)} is 'folder'.");
        }

        if (failures.Count == 0)
        {
            try
            {
                _ = ServiceCollectionExtensions.LoadCatalog(options);
            }
            catch (ProfileValidationException ex)
            {
                failures.AddRange(ex.Problems);
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    internal static byte[]? TryDecode(string base64)
    {
        var buffer = new byte[((base64.Length * 3) + 3) / 4];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}
