using Hub.Routing.Jurisdictions;
using Microsoft.Extensions.Options;

namespace Hub.Routing.Spikes;

/// <summary>Spike alert settings (section <see cref="Section"/>).</summary>
public sealed class SpikeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Hub:Spikes";

    /// <summary>The rolling counting window (default 24 h, as ODMAP).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The jurisdictions watched; events in other counties are not counted.</summary>
    public IList<SpikeJurisdictionOptions> Jurisdictions { get; } = [];
}

/// <summary>One watched jurisdiction (a county) and how its threshold is set.</summary>
public sealed class SpikeJurisdictionOptions
{
    /// <summary>County FIPS code (5 digits); events are attributed by <c>Location.CountyFips</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Display name, carried in the alert.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>fixed</c> (count ≥ <see cref="Threshold"/>) or <c>baseline</c> (count &gt; mean + k·sd of the same window in prior weeks).</summary>
    public string Method { get; set; } = SpikeMethods.Fixed;

    /// <summary>The fixed threshold; for <c>baseline</c>, the threshold used until enough history exists (null: no alert until then).</summary>
    public int? Threshold { get; set; }

    /// <summary>Prior weeks in the baseline (default 8).</summary>
    public int BaselineWeeks { get; set; } = 8;

    /// <summary>k in mean + k·sd (default 2).</summary>
    public double BaselineK { get; set; } = 2;

    /// <summary>A baseline alert also needs at least this many events (default 3), so a quiet county does not alert on one.</summary>
    public int MinimumCount { get; set; } = 3;
}

/// <summary>Values of <see cref="SpikeJurisdictionOptions.Method"/>.</summary>
public static class SpikeMethods
{
    /// <summary>A configured count.</summary>
    public const string Fixed = "fixed";

    /// <summary>Mean + k·sd of the same 24 hours of the same weekday over prior weeks.</summary>
    public const string Baseline = "baseline";
}

/// <summary>Reports every problem of the spike settings at start.</summary>
public sealed class SpikeOptionsValidator : IValidateOptions<SpikeOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SpikeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Window <= TimeSpan.Zero || options.Window > TimeSpan.FromDays(7))
        {
            errors.Add($"{nameof(SpikeOptions.Window)} must be between 0 and 7 days.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Jurisdictions.Count; i++)
        {
            var j = options.Jurisdictions[i];
            var at = $"Jurisdictions[{i}]";
            if (!Places.IsCountyFips(j.Id))
            {
                errors.Add($"{at}.Id '{j.Id}' is not a 5-digit county FIPS code of a known state.");
            }
            else if (!ids.Add(j.Id))
            {
                errors.Add($"{at}.Id '{j.Id}' is listed twice.");
            }

            if (string.IsNullOrWhiteSpace(j.Name))
            {
                errors.Add($"{at}.Name is required.");
            }

            switch (j.Method)
            {
                case SpikeMethods.Fixed when j.Threshold is not > 0:
                    errors.Add($"{at}.Threshold must be a positive count for the fixed method.");
                    break;
                case SpikeMethods.Fixed:
                    break;
                case SpikeMethods.Baseline:
                    if (j.BaselineWeeks is < 1 or > 52)
                    {
                        errors.Add($"{at}.BaselineWeeks must be between 1 and 52.");
                    }

                    if (j.BaselineK < 0 || double.IsNaN(j.BaselineK))
                    {
                        errors.Add($"{at}.BaselineK must not be negative.");
                    }

                    if (j.MinimumCount < 1)
                    {
                        errors.Add($"{at}.MinimumCount must be at least 1.");
                    }

                    if (j.Threshold is <= 0)
                    {
                        errors.Add($"{at}.Threshold must be positive when given.");
                    }

                    break;
                default:
                    errors.Add($"{at}.Method '{j.Method}' is not one of fixed, baseline.");
                    break;
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
