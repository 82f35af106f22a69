using System.Text.RegularExpressions;
using Hub.Contracts.Model;

namespace Hub.Adapters.Cad;

/// <summary>The CAD case definition: a call is an overdose when its call type is one the profile names.</summary>
internal static partial class CadDetection
{
    /// <summary>The definition id on every CAD detection.</summary>
    public const string DefinitionId = "cad-call-type";

    /// <summary>Evidence rule for an exact call-type code.</summary>
    public const string ExactRule = "call-type-exact";

    /// <summary>Evidence rule for a call-type pattern.</summary>
    public const string PatternRule = "call-type-pattern";

    /// <summary>The rule that matched <paramref name="callType"/>, or null.</summary>
    public static string? Match(CompiledCadProfile profile, string callType)
    {
        if (callType.Length == 0)
        {
            return null;
        }

        if (profile.CallTypes.Contains(callType))
        {
            return ExactRule;
        }

        foreach (var pattern in profile.Patterns)
        {
            try
            {
                if (pattern.IsMatch(callType))
                {
                    return PatternRule;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological value against a slow pattern: not a match (CadFeedCheck reports such timeouts).
            }
        }

        return null;
    }

    /// <summary>
    /// The disposition kind: the profile's own table first, then keywords common in CAD clearance codes
    /// (refused, transported, deceased...). Empty is Unknown; anything else unrecognized is Other.
    /// </summary>
    public static DispositionKind Disposition(CompiledCadProfile profile, string text)
    {
        if (text.Length == 0)
        {
            return DispositionKind.Unknown;
        }

        if (profile.Dispositions.TryGetValue(text, out var mapped))
        {
            return mapped;
        }

        if (Refused().IsMatch(text))
        {
            return DispositionKind.RefusedTransport;
        }

        if (NoTransport().IsMatch(text))
        {
            return DispositionKind.NoTransport;
        }

        if (Transported().IsMatch(text))
        {
            return DispositionKind.Transported;
        }

        if (Died().IsMatch(text))
        {
            return DispositionKind.Died;
        }

        if (AgainstAdvice().IsMatch(text))
        {
            return DispositionKind.LeftAgainstAdvice;
        }

        return DispositionKind.Other;
    }

    [GeneratedRegex(@"REFUS|\bRMA\b|DECLINED?\s+(TRANSPORT|TREATMENT|MEDICAL)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Refused();

    [GeneratedRegex(@"\bNO\s+TRANSPORT|\bNOT\s+TRANSPORTED|\bNON[- ]?TRANSPORT", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoTransport();

    [GeneratedRegex(@"TRANSPORT", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Transported();

    [GeneratedRegex(@"DECEASED|\bDOA\b|\bDEAD\b|\bDEATH\b|\bFATAL|CORONER", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Died();

    [GeneratedRegex(@"\bAMA\b|AGAINST\s+MEDICAL", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AgainstAdvice();
}
