using System.Text.Json;

namespace Hub.Adapters.Fhir.Model;

/// <summary>
/// An error inside a hand-written element converter: the reason and the path relative to the value the serializer
/// handed to the converter (e.g. <c>.coding[1].system</c>). The serializer stamps the outer path on it;
/// <see cref="FhirJson"/> appends <see cref="RelativePath"/>, so the full path is the same as the serializer's own.
/// </summary>
internal sealed class FhirElementException : JsonException
{
    public FhirElementException(string message, string relativePath)
        : base(message)
    {
        RelativePath = relativePath;
    }

    public FhirElementException()
    {
        RelativePath = "";
    }

    public FhirElementException(string message)
        : base(message)
    {
        RelativePath = "";
    }

    public FhirElementException(string message, Exception innerException)
        : base(message, innerException)
    {
        RelativePath = "";
    }

    /// <summary>Path below the converted value, starting with <c>.</c> or <c>[</c>; empty for the value itself.</summary>
    public string RelativePath { get; private set; }

    /// <summary>Prefixes the property the failing value was read for.</summary>
    public FhirElementException Under(string property)
    {
        RelativePath = "." + property + RelativePath;
        return this;
    }

    /// <summary>Prefixes the array index the failing value was read at.</summary>
    public FhirElementException At(int index)
    {
        RelativePath = "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" + RelativePath;
        return this;
    }

    /// <summary>The serializer's message for a value of the wrong JSON type.</summary>
    public static FhirElementException WrongType(Type type) => new("The JSON value could not be converted to " + type + ".", "");

    /// <summary>The serializer's message for a repeated known property.</summary>
    public static FhirElementException Duplicate(string property, Type type) =>
        new("Duplicate property '" + property + "' encountered during deserialization of type '" + type + "'.", "." + property);
}

/// <summary>
/// Names of the known properties of one element type, matched as UTF-8 without allocating, and the seen-set that
/// rejects a repeated known property like <c>AllowDuplicateProperties = false</c> does (unknown ones are skipped, also
/// like the serializer).
/// </summary>
internal sealed class FhirPropertyNames
{
    private readonly byte[][] utf8;
    private readonly string[] names;
    private readonly Type type;

    public FhirPropertyNames(Type type, params string[] names)
    {
        if (names.Length > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(names), "at most 64 properties");
        }

        this.type = type;
        this.names = names;
        utf8 = [.. names.Select(n => System.Text.Encoding.UTF8.GetBytes(n))];
    }

    public string this[int index] => names[index];

    /// <summary>
    /// Moves to the next known property's value and returns its index, or -1 at the end of the object. Unknown
    /// properties are skipped; a known property seen twice throws.
    /// </summary>
    public int Next(ref Utf8JsonReader reader, ref ulong seen)
    {
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return -1;
            }

            var index = Match(ref reader);
            if (index < 0)
            {
                reader.Read();
                if (!reader.TrySkip())
                {
                    throw new InvalidOperationException("the element is not complete");
                }

                continue;
            }

            var bit = 1UL << index;
            if ((seen & bit) != 0)
            {
                throw FhirElementException.Duplicate(names[index], type);
            }

            seen |= bit;
            reader.Read();
            return index;
        }
    }

    private int Match(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return Match(reader.ValueSpan);
        }

        Span<byte> buffer = stackalloc byte[64];
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > buffer.Length)
        {
            // Longer than any known name even once unescaped (escapes only lengthen the raw text).
            return reader.ValueIsEscaped ? MatchLong(ref reader) : -1;
        }

        var written = reader.CopyString(buffer);
        return Match(buffer[..written]);
    }

    private int MatchLong(ref Utf8JsonReader reader)
    {
        var text = reader.GetString();
        return Array.IndexOf(names, text);
    }

    private int Match(ReadOnlySpan<byte> name)
    {
        var table = utf8;
        for (var i = 0; i < table.Length; i++)
        {
            if (name.SequenceEqual(table[i]))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// Strings that recur in nearly every ED Bundle (code system URIs, a few codes), returned as one shared instance
/// instead of a new string per occurrence. Exact UTF-8 matches only; anything else is read normally.
/// </summary>
internal sealed class FhirStringTable
{
    private readonly (byte[] Utf8, string Text)[][] byLength;

    public FhirStringTable(params string[] values)
    {
        var max = values.Max(v => System.Text.Encoding.UTF8.GetByteCount(v));
        byLength = new (byte[], string)[max + 1][];
        foreach (var group in values.Distinct(StringComparer.Ordinal).GroupBy(v => System.Text.Encoding.UTF8.GetByteCount(v)))
        {
            byLength[group.Key] = [.. group.Select(v => (System.Text.Encoding.UTF8.GetBytes(v), v))];
        }
    }

    public string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= byLength.Length || byLength[utf8.Length] is not { } candidates)
        {
            return null;
        }

        foreach (var (bytes, text) in candidates)
        {
            if (utf8.SequenceEqual(bytes))
            {
                return text;
            }
        }

        return null;
    }
}

/// <summary>Readers of JSON primitives and arrays with the serializer's rules and messages.</summary>
internal static class FhirElementReader
{
    public delegate T? ElementReader<T>(ref Utf8JsonReader reader);

    /// <summary>Reads the value of the known property with index <paramref name="property"/> into <paramref name="value"/>.</summary>
    public delegate void PropertyReader<in T>(ref Utf8JsonReader reader, T value, int property);

    /// <summary>
    /// Reads the properties of an element object already started (see <see cref="StartObject{T}"/>) into
    /// <paramref name="value"/>; an error below a property is prefixed with its name. The caller creates the value:
    /// <c>new T()</c> in shared generic code costs more than the rest of a small element.
    /// </summary>
    public static T ReadObject<T>(ref Utf8JsonReader reader, T value, FhirPropertyNames names, PropertyReader<T> readProperty)
    {
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                // Reset first: an error inside Next (a duplicate, a broken skip) belongs to no property read so far.
                p = -1;
                p = names.Next(ref reader, ref seen);
                if (p < 0)
                {
                    return value;
                }

                readProperty(ref reader, value, p);
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(names[p]);
        }
    }

    /// <summary>
    /// Reads the properties of an object already started into <paramref name="value"/>, without adding paths to errors
    /// (the resource readers' callers re-read failures with the serializer for the path).
    /// </summary>
    public static T ReadProperties<T>(ref Utf8JsonReader reader, T value, FhirPropertyNames names, PropertyReader<T> readProperty)
    {
        ulong seen = 0;
        int p;
        while ((p = names.Next(ref reader, ref seen)) >= 0)
        {
            readProperty(ref reader, value, p);
        }

        return value;
    }

    /// <summary>True at the start of an object, false for null; anything else is a wrong type for <typeparamref name="T"/>.</summary>
    public static bool StartObject<T>(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        return reader.TokenType == JsonTokenType.Null ? false : throw FhirElementException.WrongType(typeof(T));
    }

    public static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw FhirElementException.WrongType(typeof(string)),
    };

    /// <summary>A string, shared from <paramref name="table"/> when it is a common one.</summary>
    public static string? String(ref Utf8JsonReader reader, FhirStringTable table)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence && table.Find(reader.ValueSpan) is { } shared)
        {
            return shared;
        }

        return String(ref reader);
    }

    public static bool? Boolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw FhirElementException.WrongType(typeof(bool?)),
    };

    public static int? Int32(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw FhirElementException.WrongType(typeof(int?)),
    };

    public static decimal? Decimal(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetDecimal(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw FhirElementException.WrongType(typeof(decimal?)),
    };

    public static List<string>? StringList(ref Utf8JsonReader reader)
    {
        if (!StartArray<string>(ref reader))
        {
            return null;
        }

        var list = new List<string>(2);
        var index = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(String(ref reader)!);
                index++;
            }
        }
        catch (FhirElementException ex)
        {
            throw ex.At(index);
        }

        return list;
    }

    public static List<T>? List<T>(ref Utf8JsonReader reader, ElementReader<T> element)
    {
        if (!StartArray<T>(ref reader))
        {
            return null;
        }

        reader.Read();
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return [];
        }

        var index = 0;
        try
        {
            var first = element(ref reader);
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return new List<T>(1) { first! };
            }

            var list = new List<T>(4) { first! };
            do
            {
                index++;
                list.Add(element(ref reader)!);
                reader.Read();
            }
            while (reader.TokenType != JsonTokenType.EndArray);
            return list;
        }
        catch (FhirElementException ex)
        {
            throw ex.At(index);
        }
    }

    private static bool StartArray<T>(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return true;
        }

        return reader.TokenType == JsonTokenType.Null ? false : throw FhirElementException.WrongType(typeof(List<T>));
    }
}
