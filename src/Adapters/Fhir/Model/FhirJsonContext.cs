using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Hub.Adapters.Fhir.Model;

/// <summary>
/// Source-generated metadata of the hub's R4 model. Strict: wrong JSON types fail with their path, duplicate
/// keys fail, nesting deeper than 64 fails; unknown elements are skipped.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = FhirJson.MaxDepth,
    AllowDuplicateProperties = false,
    Converters = [typeof(FhirResourceConverter)])]
[JsonSerializable(typeof(Resource))]
[JsonSerializable(typeof(OtherResource))]
[JsonSerializable(typeof(Bundle))]
[JsonSerializable(typeof(Patient))]
[JsonSerializable(typeof(Encounter))]
[JsonSerializable(typeof(Location))]
[JsonSerializable(typeof(Condition))]
[JsonSerializable(typeof(MedicationAdministration))]
[JsonSerializable(typeof(MedicationStatement))]
[JsonSerializable(typeof(Medication))]
[JsonSerializable(typeof(Consent))]
[JsonSerializable(typeof(Observation))]
[JsonSerializable(typeof(MessageHeader))]
[JsonSerializable(typeof(OperationOutcome))]
internal sealed partial class FhirJsonContext : JsonSerializerContext;

/// <summary>
/// Picks the concrete resource class from <c>resourceType</c> (wherever it stands in the object) and deserializes it;
/// types the hub does not model become <see cref="OtherResource"/>. Errors inside a resource keep their full path.
/// </summary>
internal sealed class FhirResourceConverter : JsonConverter<Resource>
{
    private static readonly Dictionary<string, Type> Known = new(StringComparer.Ordinal)
    {
        ["Bundle"] = typeof(Bundle),
        ["Patient"] = typeof(Patient),
        ["Encounter"] = typeof(Encounter),
        ["Location"] = typeof(Location),
        ["Condition"] = typeof(Condition),
        ["MedicationAdministration"] = typeof(MedicationAdministration),
        ["MedicationStatement"] = typeof(MedicationStatement),
        ["Medication"] = typeof(Medication),
        ["Consent"] = typeof(Consent),
        ["Observation"] = typeof(Observation),
        ["MessageHeader"] = typeof(MessageHeader),
        ["OperationOutcome"] = typeof(OperationOutcome),
    };

    public override Resource? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a resource must be a JSON object");
        }

        var resourceType = PeekResourceType(reader);
        if (resourceType is null)
        {
            throw new JsonException("resourceType is missing");
        }

        if (resourceType.Length == 0 || !char.IsAsciiLetterUpper(resourceType[0]))
        {
            throw new JsonException("resourceType is not a FHIR resource type name");
        }

        var type = Known.TryGetValue(resourceType, out var known) ? known : typeof(OtherResource);
        try
        {
            var info = options.GetTypeInfo(type);
            return (Resource?)JsonSerializer.Deserialize(ref reader, info);
        }
        catch (JsonException ex)
        {
            // Re-thrown without a path so the outer serializer stamps the path of this resource; the inner
            // (relative) path stays in InnerException and FhirJson composes both.
            throw new JsonException(FhirJson.StripPathSuffix(ex.Message), null, null, null, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));
    }

    private static string? PeekResourceType(Utf8JsonReader probe)
    {
        var depth = probe.CurrentDepth;
        while (probe.Read())
        {
            if (probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth)
            {
                return null;
            }

            if (probe.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isType = probe.ValueTextEquals("resourceType"u8);
            probe.Read();
            if (isType)
            {
                return probe.TokenType == JsonTokenType.String
                    ? probe.GetString()
                    : throw new JsonException("resourceType must be a string");
            }

            probe.Skip();
        }

        return null;
    }
}

/// <summary>Static access to typed metadata so hot paths skip the options lookup.</summary>
internal static class FhirTypeInfo
{
    public static JsonTypeInfo<Resource> Resource => FhirJsonContext.Default.Resource;
}
