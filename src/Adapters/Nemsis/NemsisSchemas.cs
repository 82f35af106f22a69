using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Schema;
using Hub.Adapters.Feeds;

namespace Hub.Adapters.Nemsis;

/// <summary>
/// Compiles the official NEMSIS XSDs of a folder once per folder. Includes are resolved only inside that folder:
/// nothing is fetched from the network.
/// </summary>
internal static class NemsisSchemas
{
    public const string RootSchemaFile = "EMSDataSet_v3.xsd";

    private static readonly ConcurrentDictionary<string, Lazy<XmlSchemaSet>> Cache = new(StringComparer.Ordinal);

    /// <summary>The compiled set for <paramref name="folder"/>; throws <see cref="FeedConfigurationException"/> when it cannot be used.</summary>
    public static XmlSchemaSet For(string folder)
    {
        var full = Path.GetFullPath(folder);
        var root = Path.Combine(full, RootSchemaFile);
        if (!File.Exists(root))
        {
            throw new FeedConfigurationException($"NEMSIS XSD folder '{full}' has no {RootSchemaFile}.");
        }

        var lazy = Cache.GetOrAdd(full, f => new Lazy<XmlSchemaSet>(() => Compile(f), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (Exception ex) when (ex is XmlException or XmlSchemaException or IOException or UnauthorizedAccessException)
        {
            Cache.TryRemove(full, out _);
            throw new FeedConfigurationException($"NEMSIS XSDs in '{full}' could not be compiled: {ex.Message}", ex);
        }
    }

    private static XmlSchemaSet Compile(string folder)
    {
        var resolver = new FolderOnlyResolver(folder);
        var set = new XmlSchemaSet { XmlResolver = resolver };
        var readerSettings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = resolver };
        using (var reader = XmlReader.Create(Path.Combine(folder, RootSchemaFile), readerSettings))
        {
            set.Add(NemsisFeedReader.Namespace, reader);
        }

        set.Compile();
        return set;
    }

    /// <summary>Resolves xs:include only to files inside the XSD folder.</summary>
    private sealed class FolderOnlyResolver(string folder) : XmlUrlResolver
    {
        private readonly string prefix = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            ArgumentNullException.ThrowIfNull(absoluteUri);
            if (!absoluteUri.IsFile || !Path.GetFullPath(absoluteUri.LocalPath).StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new XmlException($"XSD reference outside the configured XSD folder refused: {absoluteUri}");
            }

            return File.OpenRead(absoluteUri.LocalPath);
        }
    }
}
