using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Hub.Adapters.Fhir.Model;

/// <summary>
/// The hub's R4 model. Strict: wrong JSON types fail with their path, duplicate keys fail, nesting deeper than 64
/// fails; unknown elements are skipped. Resources are read by <see cref="FhirResourceConverter"/> with hand-written
/// readers (the hot data types have hand-written converters too); the metadata is <see cref="FhirReferenceJsonContext"/>'s,
/// generated once, under options that put these converters first.
/// </summary>
internal static class FhirJsonContext
{
    public static FhirReferenceJsonContext Default { get; } = new(FastOptions());

    private static JsonSerializerOptions FastOptions()
    {
        var options = new JsonSerializerOptions(FhirReferenceJsonContext.Default.Options) { TypeInfoResolver = null };
        options.Converters.Clear();
        JsonConverter[] converters =
        [
            new FhirResourceConverter(), new CodingConverter(), new CodeableConceptConverter(), new PeriodConverter(),
            new IdentifierConverter(), new ReferenceConverter(), new HumanNameConverter(), new AddressConverter(),
            new ContactPointConverter(), new ExtensionConverter(), new PrimitiveElementConverter(), new QuantityConverter(),
            new MetaConverter(), new NarrativeConverter(), new BundleEntryRequestConverter(), new EncounterDiagnosisConverter(),
            new EncounterHospitalizationConverter(), new DosageConverter(),
        ];
        foreach (var converter in converters)
        {
            options.Converters.Add(converter);
        }

        return options;
    }
}

/// <summary>
/// The model and rules with the serializer's own metadata for every type (no hand-written readers): the reference
/// the fast path must agree with, and the reader that reports the exact path and line of an error.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = FhirJson.MaxDepth,
    AllowDuplicateProperties = false,
    Converters = [typeof(FhirReferenceResourceConverter)])]
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
internal sealed partial class FhirReferenceJsonContext : JsonSerializerContext;

/// <summary>
/// Reads every resource of the model: <c>resourceType</c> is peeked (a struct copy of the reader, matched as UTF-8),
/// then the hand-written readers of <see cref="FhirResourceReaders"/> read it straight from the reader. When they
/// fail, the resource is read again from the saved reader with <see cref="FhirReferenceJsonContext"/> (the
/// serializer's own metadata), whose error carries the precise path and line: only bad input pays for the second read,
/// and errors are exactly those of the serializer.
/// </summary>
internal sealed class FhirResourceConverter : JsonConverter<Resource>
{
    public override Resource? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (!FhirReferenceResourceConverter.StartResource(ref reader))
        {
            return null;
        }

        var known = PeekResourceType(reader);
        var start = reader;
        try
        {
            return FhirResourceReaders.Read(ref reader, known);
        }
        catch (Exception fast) when (fast is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // Back to the resource's start: the outer serializer stamps this position, the inner error adds its relative line.
            reader = start;
            var type = known >= 0 ? FhirReferenceResourceConverter.KnownTypes[known] : typeof(OtherResource);
            throw FhirReferenceResourceConverter.PreciseError(start, FhirReferenceJsonContext.Default.GetTypeInfo(type)!, fast);
        }
    }

    public override void Write(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options) =>
        FhirReferenceResourceConverter.WriteConcrete(writer, value, options);

    /// <inheritdoc cref="FhirReferenceResourceConverter.PeekResourceType"/>
    internal static int PeekResourceType(Utf8JsonReader probe) => FhirReferenceResourceConverter.PeekResourceType(probe);
}

/// <summary>
/// The resource converter of <see cref="FhirReferenceJsonContext"/>: picks the concrete resource class from
/// <c>resourceType</c> (wherever it stands in the object) and reads it with the serializer's own metadata; types the hub
/// does not model become <see cref="OtherResource"/>. Errors inside a resource keep their full path.
/// </summary>
/// <remarks>
/// The concrete type's source-generated converter reads straight from the same reader; when it fails, the resource is
/// read again from the saved reader with <see cref="JsonSerializer.Deserialize(ref Utf8JsonReader, JsonTypeInfo)"/>,
/// whose error carries the precise relative path; <see cref="FhirJson"/> composes it with the outer one.
/// </remarks>
internal sealed class FhirReferenceResourceConverter : JsonConverter<Resource>
{
    private const int Unknown = -1;

    private static readonly byte[][] KnownNames =
    [
        "Bundle"u8.ToArray(),
        "Patient"u8.ToArray(),
        "Encounter"u8.ToArray(),
        "Location"u8.ToArray(),
        "Condition"u8.ToArray(),
        "MedicationAdministration"u8.ToArray(),
        "MedicationStatement"u8.ToArray(),
        "Medication"u8.ToArray(),
        "Consent"u8.ToArray(),
        "Observation"u8.ToArray(),
        "MessageHeader"u8.ToArray(),
        "OperationOutcome"u8.ToArray(),
    ];

    internal static readonly Type[] KnownTypes =
    [
        typeof(Bundle), typeof(Patient), typeof(Encounter), typeof(Location), typeof(Condition), typeof(MedicationAdministration),
        typeof(MedicationStatement), typeof(Medication), typeof(Consent), typeof(Observation), typeof(MessageHeader), typeof(OperationOutcome),
    ];

    public override Resource? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (!StartResource(ref reader))
        {
            return null;
        }

        var known = PeekResourceType(reader);
        var type = known >= 0 ? KnownTypes[known] : typeof(OtherResource);
        var info = options.GetTypeInfo(type);
        var start = reader;
        try
        {
            return known switch
            {
                0 => ReadDirect<Bundle>(ref reader, info, options),
                1 => ReadDirect<Patient>(ref reader, info, options),
                2 => ReadDirect<Encounter>(ref reader, info, options),
                3 => ReadDirect<Location>(ref reader, info, options),
                4 => ReadDirect<Condition>(ref reader, info, options),
                5 => ReadDirect<MedicationAdministration>(ref reader, info, options),
                6 => ReadDirect<MedicationStatement>(ref reader, info, options),
                7 => ReadDirect<Medication>(ref reader, info, options),
                8 => ReadDirect<Consent>(ref reader, info, options),
                9 => ReadDirect<Observation>(ref reader, info, options),
                10 => ReadDirect<MessageHeader>(ref reader, info, options),
                11 => ReadDirect<OperationOutcome>(ref reader, info, options),
                _ => ReadDirect<OtherResource>(ref reader, info, options),
            };
        }
        catch (Exception fast) when (fast is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // Back to the resource's start: the outer serializer stamps this position, the inner error adds its relative line.
            reader = start;
            throw PreciseError(start, info, fast);
        }
    }

    public override void Write(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options) => WriteConcrete(writer, value, options);

    /// <summary>Writes a resource as its concrete type, the same way in both contexts.</summary>
    internal static void WriteConcrete(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));
    }

    /// <summary>True at a resource's start object, false for null; anything else is not a resource.</summary>
    internal static bool StartResource(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => true,
        JsonTokenType.Null => false,
        _ => throw new JsonException("a resource must be a JSON object"),
    };

    private static T? ReadDirect<T>(ref Utf8JsonReader reader, JsonTypeInfo info, JsonSerializerOptions options)
        where T : Resource => ((JsonConverter<T>)info.Converter).Read(ref reader, typeof(T), options);

    /// <summary>Reads the failed resource again with the serializer, which reports the path inside it.</summary>
    internal static JsonException PreciseError(Utf8JsonReader start, JsonTypeInfo info, Exception fast)
    {
        try
        {
            JsonSerializer.Deserialize(ref start, info);
        }
        catch (JsonException ex)
        {
            // Re-thrown without a path so the outer serializer stamps the path of this resource; the inner
            // (relative) path stays in InnerException and FhirJson composes both.
            return new JsonException(FhirJson.StripPathSuffix(ex.Message), null, null, null, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            return new JsonException("unreadable value (" + ex.GetType().Name + ")", null, null, null, ex);
        }

        return fast as JsonException ?? new JsonException("unreadable value (" + fast.GetType().Name + ")", null, null, null, fast);
    }

    /// <summary>The index of the known type named by <c>resourceType</c>, or <see cref="Unknown"/>; throws when it is missing or malformed.</summary>
    internal static int PeekResourceType(Utf8JsonReader probe)
    {
        var depth = probe.CurrentDepth;
        while (probe.Read())
        {
            if (probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth)
            {
                break;
            }

            if (probe.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isType = probe.ValueTextEquals("resourceType"u8);
            probe.Read();
            if (!isType)
            {
                probe.Skip();
                continue;
            }

            if (probe.TokenType != JsonTokenType.String)
            {
                throw new JsonException("resourceType must be a string");
            }

            if (!probe.ValueIsEscaped)
            {
                var name = probe.HasValueSequence ? probe.ValueSequence.ToArray() : probe.ValueSpan;
                for (var i = 0; i < KnownNames.Length; i++)
                {
                    if (name.SequenceEqual(KnownNames[i]))
                    {
                        return i;
                    }
                }

                return name.Length > 0 && char.IsAsciiLetterUpper((char)name[0])
                    ? Unknown
                    : throw new JsonException("resourceType is not a FHIR resource type name");
            }

            var text = probe.GetString()!;
            for (var i = 0; i < KnownNames.Length; i++)
            {
                if (probe.ValueTextEquals(KnownNames[i]))
                {
                    return i;
                }
            }

            return text.Length > 0 && char.IsAsciiLetterUpper(text[0])
                ? Unknown
                : throw new JsonException("resourceType is not a FHIR resource type name");
        }

        throw new JsonException("resourceType is missing");
    }
}

/// <summary>Static access to typed metadata so hot paths skip the options lookup.</summary>
internal static class FhirTypeInfo
{
    public static JsonTypeInfo<Resource> Resource => FhirJsonContext.Default.Resource;
}
