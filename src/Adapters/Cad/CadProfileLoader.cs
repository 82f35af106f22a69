using System.Text.Json;
using Hub.Adapters.Feeds;

namespace Hub.Adapters.Cad;

/// <summary>Finds a feed's CAD profile: inline (<see cref="FeedOptions.Cad"/>) or a JSON file (<see cref="FeedOptions.CadProfileFile"/>).</summary>
public static class CadProfileLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// The profile of <paramref name="feed"/>. Inline wins over the file. A relative file path is resolved against the
    /// current directory (the host's content root). Throws <see cref="FeedConfigurationException"/> when there is none
    /// or the file cannot be read or parsed.
    /// </summary>
    public static CadFeedProfile Resolve(FeedOptions feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (feed.Cad is { } inline)
        {
            return inline;
        }

        if (string.IsNullOrWhiteSpace(feed.CadProfileFile))
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}' is a CAD feed but has neither Cad nor CadProfileFile.");
        }

        return LoadFile(feed.CadProfileFile);
    }

    /// <summary>Reads a profile JSON file.</summary>
    public static CadFeedProfile LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream) ?? throw new FeedConfigurationException($"CAD profile file '{path}' is empty (null).");
        }
        catch (JsonException ex)
        {
            throw new FeedConfigurationException($"CAD profile file '{path}' is not valid profile JSON: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new FeedConfigurationException($"CAD profile file '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new FeedConfigurationException($"CAD profile file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Parses profile JSON (property names case-insensitive, comments allowed).</summary>
    public static CadFeedProfile? Parse(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var profile = JsonSerializer.Deserialize<CadFeedProfile>(json, JsonOptions);
        if (profile is not null)
        {
            // System.Text.Json replaces the dictionaries with case-sensitive ones; field names are case-insensitive.
            profile.Columns = new Dictionary<string, CadColumn>(profile.Columns ?? [], StringComparer.OrdinalIgnoreCase);
            profile.Dispositions = new Dictionary<string, string>(profile.Dispositions ?? [], StringComparer.OrdinalIgnoreCase);
        }

        return profile;
    }

    /// <summary>Resolves and validates the profile of <paramref name="feed"/>; throws listing every problem.</summary>
    internal static CompiledCadProfile Compile(FeedOptions feed) => CadProfileValidator.Compile(Resolve(feed), feed.TimeZone);
}
