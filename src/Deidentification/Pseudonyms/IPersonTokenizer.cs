using Hub.Contracts.Model;

namespace Hub.Deidentification.Pseudonyms;

/// <summary>A keyed linkage token, e.g. rule <c>last-first1-sex-dob</c>; the value is HMAC-SHA256 hex with the hub's secret.</summary>
/// <param name="Rule">The token rule.</param>
/// <param name="Value">The token.</param>
public sealed record PersonToken(string Rule, string Value);

/// <summary>Computes the hub-internal linkage tokens of a person. Tokens never leave the hub.</summary>
public interface IPersonTokenizer
{
    /// <summary>All tokens the subject's fields allow (none when too little is known).</summary>
    IReadOnlyList<PersonToken> Tokenize(SubjectIdentity? subject, EventLocation? location);
}
