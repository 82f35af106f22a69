using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Hub.Adapters.Fhir.Model;

/// <summary>A JSON document or line that could not be read: what and where (a JSON path). Never holds values.</summary>
/// <param name="Reason">What is wrong.</param>
/// <param name="Path">JSON path, e.g. <c>$.entry[3].resource.birthDate</c>.</param>
/// <param name="Line">1-based line in the document, when known.</param>
public sealed record FhirJsonError(string Reason, string Path, long? Line);

/// <summary>Entry points of the strict R4 JSON model: parse with BOM handling, depth and duplicate-key rules.</summary>
public static class FhirJson
{
    /// <summary>Deepest nesting accepted (depth 65 is rejected).</summary>
    public const int MaxDepth = 64;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The serializer options of the model (source-generated, strict).</summary>
    public static JsonSerializerOptions Options => FhirJsonContext.Default.Options;

    /// <summary>Parses one resource from UTF-8 (a leading BOM is skipped). Returns null and an error when it cannot.</summary>
    public static Resource? TryParse(ReadOnlySpan<byte> utf8, out FhirJsonError? error) => TryParse(utf8, FhirTypeInfo.Resource, out error);

    /// <summary>Parses with the given metadata (tests compare the fast readers with <see cref="FhirReferenceJsonContext"/>).</summary>
    internal static Resource? TryParse(ReadOnlySpan<byte> utf8, JsonTypeInfo<Resource> info, out FhirJsonError? error)
    {
        if (utf8.StartsWith(Bom))
        {
            utf8 = utf8[3..];
        }

        try
        {
            var resource = JsonSerializer.Deserialize(utf8, info);
            error = resource is null ? new FhirJsonError("the document is null, not a resource", "$", 1) : null;
            return resource;
        }
        catch (JsonException ex)
        {
            error = ToError(ex);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            error = new FhirJsonError("unreadable JSON (" + ex.GetType().Name + ")", "$", null);
            return null;
        }
    }

    /// <summary>Serializes a resource as FHIR JSON.</summary>
    public static byte[] Serialize(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return JsonSerializer.SerializeToUtf8Bytes(resource, FhirTypeInfo.Resource);
    }

    /// <summary>Composes the full path of a (possibly nested) error and strips System.Text.Json's position suffix.</summary>
    internal static FhirJsonError ToError(JsonException ex)
    {
        var path = ex.Path ?? "$";
        var line = ex.LineNumber;
        var current = ex;
        while (current.InnerException is JsonException inner)
        {
            var innerPath = inner.Path ?? "$";
            path += innerPath.Length > 1 ? innerPath[1..] : "";
            // Nested deserialization counts lines from the start of the nested value: the numbers add up.
            line = line is null ? inner.LineNumber : line + (inner.LineNumber ?? 0);
            current = inner;
        }

        if (current is FhirElementException element)
        {
            // A hand-written element reader: the serializer stamped where it was called, the reader adds the rest.
            path += element.RelativePath;
        }
        else if (current.GetType() != typeof(JsonException))
        {
            // A syntax error raised by the reader itself (an internal JsonException subtype) carries the absolute line.
            line = current.LineNumber;
        }

        var reason = StripPathSuffix(current.Message);
        if (reason.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"nesting deeper than {MaxDepth} levels";
        }

        return new FhirJsonError(reason, path, line is null ? null : line + 1);
    }

    internal static string StripPathSuffix(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = cut >= 0 ? message[..cut] : message;
        cut = text.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (cut >= 0 ? text[..cut] : text).TrimEnd(' ', '|');
    }
}
