using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hub.Adapters.Fhir.Model;
using Hub.Testing;

namespace Hub.Adapters.Tests.Fhir;

/// <summary>
/// The hand-written readers (FhirResourceReaders, FhirElements) against the serializer's own metadata
/// (FhirReferenceJsonContext, i.e. the model as it was read before them): same resources, same errors (reason, path,
/// line), same JSON written back, on synthetic files, on every mutation of them, and on the external FHIR samples.
/// </summary>
public sealed class FhirFastReaderTests
{
    private static readonly string[] SyntheticFiles =
    [
        "ed-bundle-benchmark.json", "every-element.json", "transaction-opioid-icd.json", "collection-chief-complaint.json",
        "batch-snomed-conditional.json", "message-adverse-effect.json", "broken-reference.json",
    ];

    private static Resource? Reference(byte[] json, out FhirJsonError? error) => FhirJson.TryParse(json, FhirReferenceJsonContext.Default.Resource, out error);

    private static string Written(Resource resource) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(resource, FhirReferenceJsonContext.Default.Resource));

    /// <summary>Parses with the fast readers and with the reference; returns the reference error (null when both read it).</summary>
    private static FhirJsonError? AssertSameAsReference(byte[] json, string label)
    {
        var expected = Reference(json, out var expectedError);
        var actual = FhirJson.TryParse(json, out var actualError);
        Assert.True(expectedError == actualError, $"{label}: reference {expectedError}, fast {actualError}");
        if (expected is not null)
        {
            Assert.NotNull(actual);
            Assert.Equal(expected.GetType(), actual.GetType());
            var reference = Written(expected);
            Assert.True(reference == Written(actual), $"{label}: the fast readers read a different resource");
            Assert.True(reference == Encoding.UTF8.GetString(FhirJson.Serialize(actual)), $"{label}: the element writers write different JSON");
        }

        return expectedError;
    }

    [Fact]
    public void Given_the_synthetic_files_When_read_fast_Then_resources_and_written_JSON_equal_the_reference()
    {
        foreach (var file in SyntheticFiles)
        {
            Assert.Null(AssertSameAsReference(File.ReadAllBytes(FhirTestSupport.TestData(file)), file));
        }
    }

    [Theory]
    [InlineData("ed-bundle-benchmark.json")]
    [InlineData("every-element.json")]
    public void Given_every_mutation_of_a_file_When_read_fast_Then_accepted_or_rejected_exactly_like_the_reference(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(FhirTestSupport.TestData(file)));
        var rejected = 0;
        var total = 0;
        foreach (var mutation in Enum.GetValues<Mutation>())
        {
            for (var target = 0; ; target++)
            {
                var json = Mutate(document.RootElement, mutation, target, out var applied);
                if (!applied)
                {
                    break;
                }

                total++;
                rejected += AssertSameAsReference(json, $"{file} {mutation} #{target}") is null ? 0 : 1;
            }
        }

        // The mutations must reach the hand-written readers' error branches, not only their happy path.
        Assert.True(total > 500, $"{total} mutations");
        Assert.True(rejected > total / 4, $"{rejected} of {total} rejected");
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Encounter","class":{"code":"EMER","code":"X"}}}]}""", "$.entry[0].resource.class.code", "Duplicate property 'code'")]
    [InlineData("""{"resourceType":"Encounter","type":[{"coding":[{"system":"a"},{"system":"b","system":"c"}]}]}""", "$.type[0].coding[1].system", "Duplicate property 'system'")]
    [InlineData("""{"resourceType":"Patient","meta":{"security":[{"code":"R"}],"security":[]}}""", "$.meta.security", "Duplicate property 'security'")]
    [InlineData("""{"resourceType":"Patient","name":[{"given":["a"],"given":["b"]}]}""", "$.name[0].given", "Duplicate property 'given'")]
    [InlineData("""{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"POST","method":"PUT"}}]}""", "$.entry[0].request.method", "Duplicate property 'method'")]
    [InlineData("""{"resourceType":"Bundle","type":"batch","entry":[{"fullUrl":"a","fullUrl":"b"}]}""", "$.entry[0].fullUrl", "Duplicate property 'fullUrl'")]
    [InlineData("""{"resourceType":"Consent","provision":{"provision":[{"type":"deny","type":"permit"}]}}""", "$.provision.provision[0].type", "Duplicate property 'type'")]
    [InlineData("""{"resourceType":"Patient","extension":[{"url":"a","extension":[{"url":"b","url":"c"}]}]}""", "$.extension[0].extension[0].url", "Duplicate property 'url'")]
    [InlineData("""{"resourceType":"Encounter","id":"a","\u0069d":"b"}""", "$.id", "Duplicate property 'id'")]
    public void Given_a_duplicate_key_at_any_level_When_parsed_Then_rejected_with_its_path(string json, string path, string reason)
    {
        var error = AssertSameAsReference(Encoding.UTF8.GetBytes(json), json);
        Assert.NotNull(error);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"resourceType":"Encounter","type":[{"coding":[{"system":"a"},{"system":true}]}]}""", "$.type[0].coding[1].system", "System.String")]
    [InlineData("""{"resourceType":"Encounter","class":[1]}""", "$.class", "Hub.Adapters.Fhir.Model.Coding")]
    [InlineData("""{"resourceType":"Encounter","type":[{"coding":{}}]}""", "$.type[0].coding", "System.Collections.Generic.List`1[Hub.Adapters.Fhir.Model.Coding]")]
    [InlineData("""{"resourceType":"Patient","telecom":[{"rank":1.5}]}""", "$.telecom[0].rank", "System.Nullable`1[System.Int32]")]
    [InlineData("""{"resourceType":"Patient","extension":[{"url":"u","valueBoolean":"true"}]}""", "$.extension[0].valueBoolean", "System.Nullable`1[System.Boolean]")]
    [InlineData("""{"resourceType":"MedicationAdministration","dosage":{"dose":{"value":1e400}}}""", "$.dosage.dose.value", "System.Nullable`1[System.Decimal]")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Patient","name":[{"given":["a",3]}]}}]}""", "$.entry[1].resource.name[0].given[1]", "System.String")]
    public void Given_a_wrong_JSON_type_When_parsed_Then_the_error_names_the_type_and_the_full_path(string json, string path, string type)
    {
        var error = AssertSameAsReference(Encoding.UTF8.GetBytes(json), json);
        Assert.NotNull(error);
        Assert.Equal(path, error.Path);
        Assert.Equal($"The JSON value could not be converted to {type}.", error.Reason);
    }

    [Fact]
    public void Given_a_wrong_type_on_a_later_line_of_a_contained_resource_When_parsed_Then_the_line_is_that_of_the_value()
    {
        var json = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[\n{\"resource\":{\"resourceType\":\"MedicationAdministration\",\n\"contained\":[{\"resourceType\":\"Medication\",\n\"code\":{\"coding\":[\n{\"code\":\n7242}]}}]}}]}";
        var error = AssertSameAsReference(Encoding.UTF8.GetBytes(json), "multi-line");
        Assert.Equal("$.entry[0].resource.contained[0].code.coding[0].code", error!.Path);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Given_an_element_read_on_its_own_When_it_fails_Then_the_hand_written_reader_reports_the_path_below_it()
    {
        // Outside a resource (no second read), the element readers compose the path themselves.
        var json = """{"resourceType":"Location","address":{"extension":[{"url":"a"},{"url":"b","valueCoding":{"code":{}}}]}}"""u8.ToArray();
        var info = (JsonTypeInfo<Location>)FhirJsonContext.Default.GetTypeInfo(typeof(Location))!;
        var reference = (JsonTypeInfo<Location>)FhirReferenceJsonContext.Default.GetTypeInfo(typeof(Location))!;
        var fast = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, info));
        var expected = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, reference));
        Assert.Equal(FhirJson.ToError(expected), FhirJson.ToError(fast));
        Assert.Equal("$.address.extension[1].valueCoding.code", FhirJson.ToError(fast).Path);
    }

    [Fact]
    public void Given_null_elements_and_escaped_names_When_parsed_Then_read_like_the_reference()
    {
        string[] inputs =
        [
            """{"resourceType":"Encounter","type":[{"coding":[null,{"code":null}]}],"class":null,"reasonCode":null}""",
            """{"resourceType":"Patient","name":[{"fam\u0069ly":"x","given":[null,"y"]}],"NAME":[{"family":"ignored"}]}""",
            """{"resourceType":"Patient","zzz":1,"zzz":2,"meta":{"zz":{"a":1,"a":2},"zz":[1]}}""",
            """{"resourceType":"Bundle","type":"collection","entry":[null,{"resource":null},{"resource":{"resourceType":"Basic","id":"x","code":{"a":1}}}]}""",
            """{"id":"late","class":{"code":"EMER"},"resourceType":"Encounter"}""",
            """{"resourceType":"Patient","contained":[{"resourceType":"Patient","contained":[{"resourceType":"Medication","code":{"coding":[{"code":"c"}]}}]}]}""",
        ];
        foreach (var json in inputs)
        {
            Assert.Null(AssertSameAsReference(Encoding.UTF8.GetBytes(json), json));
        }
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    public void Given_deep_nesting_inside_hand_written_elements_When_parsed_Then_the_depth_limit_is_the_reference_one(int depth)
    {
        // Patient (1) > extension array (2) > extension (3) > nested extension arrays and objects.
        var builder = new StringBuilder("""{"resourceType":"Patient","extension":[""");
        var opened = 2;
        while (opened + 2 <= depth)
        {
            builder.Append("""{"url":"u","extension":[""");
            opened += 2;
        }

        builder.Append(opened < depth ? "{}" : "");
        for (var i = 2; i < opened; i += 2)
        {
            builder.Append("]}");
        }

        builder.Append("]}");
        var error = AssertSameAsReference(Encoding.UTF8.GetBytes(builder.ToString()), $"depth {depth}");
        Assert.Equal(depth > FhirJson.MaxDepth, error is not null);
    }

    [ExternalDataFact]
    public void Given_the_external_FHIR_samples_When_read_fast_Then_every_one_equals_the_reference()
    {
        var files = new[] { "hl7-fhir-r4-examples", "hl7-cdc-opioid-cpg-examples", "synthea-r4-bundles", "fhir-anonymizer-testdata" }
            .SelectMany(folder => Directory.EnumerateFiles(ExternalData.PathOf(folder), "*.json", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 50, $"{files.Count} files");
        foreach (var file in files)
        {
            AssertSameAsReference(File.ReadAllBytes(file), file);
        }

        var lines = 0;
        foreach (var file in Directory.EnumerateFiles(ExternalData.PathOf("fhir-bulk-ndjson-synthea-10"), "*.ndjson"))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length > 0)
                {
                    // log.ndjson holds export log entries, not resources: those must fail the same way.
                    AssertSameAsReference(Encoding.UTF8.GetBytes(line), $"{file} line {++lines}");
                }
            }
        }

        Assert.True(lines > 3000, $"{lines} NDJSON lines");
    }

    [ExternalDataFact]
    public void Given_the_Synthea_bundles_When_read_fast_Then_the_outcomes_equal_those_of_the_reference_parse()
    {
        var reader = FhirTestSupport.Reader("all-drug");
        var source = FhirTestSupport.Source("bundle.json");
        var events = 0;
        foreach (var file in Directory.EnumerateFiles(ExternalData.PathOf("synthea-r4-bundles"), "*.json").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            var fast = reader.ReadResource(FhirJson.TryParse(bytes, out _)!, source);
            var reference = reader.ReadResource(Reference(bytes, out _)!, source);
            Assert.Equal(JsonSerializer.Serialize(reference), JsonSerializer.Serialize(fast));
            events += fast.Count(o => o.Event is not null);
        }

        Assert.True(events > 0);
    }

    private enum Mutation
    {
        DuplicateProperty,
        Number,
        String,
        Boolean,
        Object,
        Array,
        Null,
    }

    /// <summary>Writes <paramref name="root"/> indented (so errors land on distinct lines) with one mutation at the <paramref name="target"/>-th place it applies.</summary>
    private static byte[] Mutate(JsonElement root, Mutation mutation, int target, out bool applied)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var counter = 0;
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, SkipValidation = true }))
        {
            Write(writer, root, mutation, target, ref counter, isRoot: true);
        }

        applied = counter > target;
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, Mutation mutation, int target, ref int counter, bool isRoot = false)
    {
        // Values (not the root, whose resourceType decides everything) are replaced; properties are duplicated.
        if (!isRoot && mutation != Mutation.DuplicateProperty && counter++ == target)
        {
            switch (mutation)
            {
                case Mutation.Number: writer.WriteNumberValue(5); break;
                case Mutation.String: writer.WriteStringValue("x"); break;
                case Mutation.Boolean: writer.WriteBooleanValue(true); break;
                case Mutation.Object: writer.WriteStartObject(); writer.WriteNumber("zz", 1); writer.WriteEndObject(); break;
                case Mutation.Array: writer.WriteStartArray(); writer.WriteNumberValue(1); writer.WriteEndArray(); break;
                default: writer.WriteNullValue(); break;
            }

            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, mutation, target, ref counter);
                    if (mutation == Mutation.DuplicateProperty && counter++ == target)
                    {
                        writer.WritePropertyName(property.Name);
                        property.Value.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, mutation, target, ref counter);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
