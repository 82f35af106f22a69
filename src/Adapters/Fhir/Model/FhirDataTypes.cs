using System.Text.Json.Serialization;

namespace Hub.Adapters.Fhir.Model;

#pragma warning disable CA2227 // Deserialized DTOs: System.Text.Json fills settable lists.
#pragma warning disable CA1002 // List<T> keeps deserialization allocation-light; these are internal-facing DTOs.

/// <summary>R4 Coding.</summary>
public sealed class Coding
{
    /// <summary>Code system URI.</summary>
    public string? System { get; set; }

    /// <summary>Code system version.</summary>
    public string? Version { get; set; }

    /// <summary>The code.</summary>
    public string? Code { get; set; }

    /// <summary>Display text.</summary>
    public string? Display { get; set; }

    /// <summary>Chosen by the user.</summary>
    public bool? UserSelected { get; set; }
}

/// <summary>R4 CodeableConcept.</summary>
public sealed class CodeableConcept
{
    /// <summary>Codings.</summary>
    public List<Coding>? Coding { get; set; }

    /// <summary>Plain text (free text, may be PHI).</summary>
    public string? Text { get; set; }
}

/// <summary>R4 Period (FHIR dateTime strings, parsed by the mapper).</summary>
public sealed class Period
{
    /// <summary>Start.</summary>
    public string? Start { get; set; }

    /// <summary>End.</summary>
    public string? End { get; set; }
}

/// <summary>R4 Identifier.</summary>
public sealed class Identifier
{
    /// <summary>usual | official | temp | secondary | old.</summary>
    public string? Use { get; set; }

    /// <summary>Kind of identifier (v2-0203: MR, SS...).</summary>
    public CodeableConcept? Type { get; set; }

    /// <summary>Namespace.</summary>
    public string? System { get; set; }

    /// <summary>The value (PHI).</summary>
    public string? Value { get; set; }

    /// <summary>Validity.</summary>
    public Period? Period { get; set; }
}

/// <summary>R4 Reference. Named ResourceReference because C# forbids a member named like its type.</summary>
public sealed class ResourceReference
{
    /// <summary>Literal reference: relative, absolute, <c>urn:uuid:</c>, <c>#contained</c> or conditional.</summary>
    public string? Reference { get; set; }

    /// <summary>Type the reference refers to.</summary>
    public string? Type { get; set; }

    /// <summary>Logical reference.</summary>
    public Identifier? Identifier { get; set; }

    /// <summary>Display text.</summary>
    public string? Display { get; set; }
}

/// <summary>R4 HumanName.</summary>
public sealed class HumanName
{
    /// <summary>usual | official | nickname...</summary>
    public string? Use { get; set; }

    /// <summary>Full text.</summary>
    public string? Text { get; set; }

    /// <summary>Family name.</summary>
    public string? Family { get; set; }

    /// <summary>Given names.</summary>
    public List<string>? Given { get; set; }

    /// <summary>Prefixes.</summary>
    public List<string>? Prefix { get; set; }

    /// <summary>Suffixes.</summary>
    public List<string>? Suffix { get; set; }

    /// <summary>Validity.</summary>
    public Period? Period { get; set; }
}

/// <summary>R4 Address.</summary>
public sealed class Address
{
    /// <summary>home | work | temp | old | billing.</summary>
    public string? Use { get; set; }

    /// <summary>postal | physical | both.</summary>
    public string? Type { get; set; }

    /// <summary>Text.</summary>
    public string? Text { get; set; }

    /// <summary>Street lines.</summary>
    public List<string>? Line { get; set; }

    /// <summary>City.</summary>
    public string? City { get; set; }

    /// <summary>District (county name).</summary>
    public string? District { get; set; }

    /// <summary>State.</summary>
    public string? State { get; set; }

    /// <summary>ZIP.</summary>
    public string? PostalCode { get; set; }

    /// <summary>Country.</summary>
    public string? Country { get; set; }

    /// <summary>Extensions (e.g. geolocation).</summary>
    public List<Extension>? Extension { get; set; }

    /// <summary>Validity.</summary>
    public Period? Period { get; set; }
}

/// <summary>R4 ContactPoint.</summary>
public sealed class ContactPoint
{
    /// <summary>phone | fax | email...</summary>
    public string? System { get; set; }

    /// <summary>The value (PHI).</summary>
    public string? Value { get; set; }

    /// <summary>home | work | mobile...</summary>
    public string? Use { get; set; }

    /// <summary>Preference order.</summary>
    public int? Rank { get; set; }
}

/// <summary>R4 Extension with the value[x] choices the hub reads; other choices are tolerated and ignored.</summary>
public sealed class Extension
{
    /// <summary>Definition URL.</summary>
    public string? Url { get; set; }

    /// <summary>valueString.</summary>
    public string? ValueString { get; set; }

    /// <summary>valueCode.</summary>
    public string? ValueCode { get; set; }

    /// <summary>valueDecimal.</summary>
    public decimal? ValueDecimal { get; set; }

    /// <summary>valueBoolean.</summary>
    public bool? ValueBoolean { get; set; }

    /// <summary>valueCoding.</summary>
    public Coding? ValueCoding { get; set; }

    /// <summary>valueCodeableConcept.</summary>
    public CodeableConcept? ValueCodeableConcept { get; set; }

    /// <summary>valueReference.</summary>
    public ResourceReference? ValueReference { get; set; }

    /// <summary>Nested extensions.</summary>
    [JsonPropertyName("extension")]
    public List<Extension>? Extensions { get; set; }
}

/// <summary>The element part of a primitive (<c>_birthDate</c>): id and extensions.</summary>
public sealed class PrimitiveElement
{
    /// <summary>Element id.</summary>
    public string? Id { get; set; }

    /// <summary>Extensions (e.g. data-absent-reason).</summary>
    public List<Extension>? Extension { get; set; }
}

/// <summary>R4 Quantity.</summary>
public sealed class Quantity
{
    /// <summary>Value (decimal; a value beyond decimal range is a precise error, never a crash).</summary>
    public decimal? Value { get; set; }

    /// <summary>Comparator.</summary>
    public string? Comparator { get; set; }

    /// <summary>Unit text.</summary>
    public string? Unit { get; set; }

    /// <summary>Unit system.</summary>
    public string? System { get; set; }

    /// <summary>Unit code.</summary>
    public string? Code { get; set; }
}

/// <summary>R4 Meta.</summary>
public sealed class Meta
{
    /// <summary>Version id.</summary>
    public string? VersionId { get; set; }

    /// <summary>Last updated.</summary>
    public string? LastUpdated { get; set; }

    /// <summary>Profiles.</summary>
    public List<string>? Profile { get; set; }

    /// <summary>DS4P security labels.</summary>
    public List<Coding>? Security { get; set; }

    /// <summary>Tags.</summary>
    public List<Coding>? Tag { get; set; }
}

/// <summary>R4 Narrative.</summary>
public sealed class Narrative
{
    /// <summary>generated | extensions | additional | empty.</summary>
    public string? Status { get; set; }

    /// <summary>XHTML (PHI).</summary>
    public string? Div { get; set; }
}

#pragma warning restore CA1002
#pragma warning restore CA2227
