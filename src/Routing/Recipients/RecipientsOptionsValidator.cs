using Hub.Routing.Jurisdictions;
using Microsoft.Extensions.Options;

namespace Hub.Routing.Recipients;

/// <summary>
/// Checks the whole recipient table at start and reports every problem at once (not only the first), so an operator
/// fixes a configuration in one pass. Messages name the recipient index and id, never a secret.
/// </summary>
public sealed class RecipientsOptionsValidator : IValidateOptions<RecipientsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RecipientsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>All problems of the table, one line each.</summary>
    public static IReadOnlyList<string> Collect(RecipientsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recipient in options.Recipients)
        {
            if (!string.IsNullOrWhiteSpace(recipient.Id) && !ids.Add(recipient.Id))
            {
                errors.Add($"Recipients: duplicate Id '{recipient.Id}'.");
            }
        }

        for (var i = 0; i < options.Recipients.Count; i++)
        {
            ValidateOne(options.Recipients[i], $"Recipients[{i}]", ids, errors);
        }

        return errors;
    }

    private static void ValidateOne(RecipientOptions r, string at, HashSet<string> ids, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(r.Id))
        {
            errors.Add($"{at}.{nameof(r.Id)} is required.");
        }
        else if (!r.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            errors.Add($"{at}.{nameof(r.Id)} '{r.Id}' may contain only lower-case letters, digits and '-'.");
        }

        at = string.IsNullOrWhiteSpace(r.Id) ? at : $"{at} ({r.Id})";
        if (string.IsNullOrWhiteSpace(r.Name))
        {
            errors.Add($"{at}.{nameof(r.Name)} is required.");
        }

        if (!RecipientKinds.All.Contains(r.Kind))
        {
            errors.Add($"{at}.{nameof(r.Kind)} '{r.Kind}' is not one of {string.Join(", ", RecipientKinds.All)}.");
        }

        ValidateJurisdiction(r.Jurisdiction, at + ".Jurisdiction", errors);
        ValidateFilters(r.Filters, at + ".Filters", errors);
        if (r.Hours is not null)
        {
            ValidateHours(r, at + ".Hours", ids, errors);
        }

        ValidateDelivery(r.Delivery, at + ".Delivery", errors);
        if (!string.IsNullOrEmpty(r.PseudonymKey))
        {
            var buffer = new byte[r.PseudonymKey.Length];
            if (!Convert.TryFromBase64String(r.PseudonymKey, buffer, out var length))
            {
                errors.Add($"{at}.{nameof(r.PseudonymKey)} is not valid base64.");
            }
            else if (length < 32)
            {
                errors.Add($"{at}.{nameof(r.PseudonymKey)} must be at least 32 bytes (256 bits).");
            }
        }
    }

    private static void ValidateJurisdiction(JurisdictionOptions j, string at, List<string> errors)
    {
        if (j.CountyFips.Count == 0 && j.Municipalities.Count == 0 && j.ZipCodes.Count == 0 && string.IsNullOrWhiteSpace(j.PolygonFile))
        {
            errors.Add($"{at}: no county, municipality, ZIP code or polygon file is given.");
        }

        foreach (var fips in j.CountyFips)
        {
            if (!Places.IsCountyFips(fips))
            {
                errors.Add($"{at}.CountyFips '{fips}' is not a 5-digit county FIPS code of a known state.");
            }
        }

        foreach (var zip in j.ZipCodes)
        {
            if (!Places.IsZip(zip))
            {
                errors.Add($"{at}.ZipCodes '{zip}' is not a 5-digit ZIP code.");
            }
        }

        for (var m = 0; m < j.Municipalities.Count; m++)
        {
            var municipality = j.Municipalities[m];
            if (string.IsNullOrWhiteSpace(municipality.Name))
            {
                errors.Add($"{at}.Municipalities[{m}].Name is required.");
            }

            if (Places.StateCode(municipality.State) is null)
            {
                errors.Add($"{at}.Municipalities[{m}].State '{municipality.State}' is not a US state code.");
            }
        }

        if (!string.IsNullOrWhiteSpace(j.PolygonFile))
        {
            if (!File.Exists(j.PolygonFile))
            {
                errors.Add($"{at}.PolygonFile '{j.PolygonFile}' does not exist.");
            }
            else
            {
                var read = GeoJsonReader.ReadFile(j.PolygonFile);
                foreach (var error in read.Errors.Take(5))
                {
                    errors.Add($"{at}.PolygonFile '{j.PolygonFile}': {error}");
                }
            }
        }
    }

    private static void ValidateFilters(RecipientFilterOptions f, string at, List<string> errors)
    {
        if (f.Fatal is not (FatalFilter.Any or FatalFilter.Fatal or FatalFilter.NonFatal))
        {
            errors.Add($"{at}.Fatal '{f.Fatal}' is not one of any, fatal, non-fatal.");
        }

        if (f.Minors is not (MinorsPolicy.Include or MinorsPolicy.Exclude))
        {
            errors.Add($"{at}.Minors '{f.Minors}' is not one of include, exclude.");
        }
    }

    private static void ValidateHours(RecipientOptions r, string at, HashSet<string> ids, List<string> errors)
    {
        var hours = r.Hours!;
        if (string.IsNullOrWhiteSpace(hours.TimeZone))
        {
            errors.Add($"{at}.TimeZone is required.");
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(hours.TimeZone, out _))
        {
            errors.Add($"{at}.TimeZone '{hours.TimeZone}' is not a known time zone.");
        }

        if (hours.Start == hours.End)
        {
            errors.Add($"{at}: Start equals End; omit Hours for a recipient always on duty.");
        }

        if (hours.AfterHoursRecipientId is { } fallback)
        {
            if (fallback == r.Id)
            {
                errors.Add($"{at}.AfterHoursRecipientId names the recipient itself.");
            }
            else if (!ids.Contains(fallback))
            {
                errors.Add($"{at}.AfterHoursRecipientId '{fallback}' is not a configured recipient.");
            }
        }
    }

    private static void ValidateDelivery(DeliveryOptions d, string at, List<string> errors)
    {
        switch (d.Channel)
        {
            case DeliveryChannels.Queue or DeliveryChannels.Inbox:
                break;
            case DeliveryChannels.Webhook:
                if (d.WebhookUrl is null || !d.WebhookUrl.IsAbsoluteUri)
                {
                    errors.Add($"{at}.WebhookUrl is required for the webhook channel.");
                }
                else if (d.WebhookUrl.Scheme != Uri.UriSchemeHttps && !d.WebhookUrl.IsLoopback)
                {
                    errors.Add($"{at}.WebhookUrl must use https (plain http is allowed on loopback only).");
                }

                if (string.IsNullOrEmpty(d.WebhookSecret))
                {
                    errors.Add($"{at}.WebhookSecret is required for the webhook channel (set it from the environment).");
                }
                else if (d.WebhookSecret.Length < 16)
                {
                    errors.Add($"{at}.WebhookSecret must be at least 16 characters.");
                }

                break;
            default:
                errors.Add($"{at}.Channel '{d.Channel}' is not one of queue, webhook, inbox.");
                break;
        }
    }
}
