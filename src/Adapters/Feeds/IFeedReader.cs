namespace Hub.Adapters.Feeds;

/// <summary>
/// Reads one input of a feed (a file, a folder of NDJSON, or a request body) and yields one outcome per source
/// record, streaming. Never throws for bad input: a fault becomes a <see cref="RecordOutcome"/> reject with its
/// location, and every record before it is still yielded. Only cancellation and I/O failures of the stream escape.
/// </summary>
public interface IFeedReader
{
    /// <summary>Reads <paramref name="content"/> (or, when it is null, the folder at <see cref="SourceDocument.Path"/>).</summary>
    /// <param name="content">The content, positioned at its start; null for folder inputs.</param>
    /// <param name="source">Name, hash and time of the input, for provenance.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    IAsyncEnumerable<RecordOutcome> ReadAsync(Stream? content, SourceDocument source, CancellationToken cancellationToken);
}

/// <summary>Creates the reader for a configured feed. Each adapter (Nemsis, Fhir, Cad) registers one.</summary>
public interface IFeedReaderFactory
{
    /// <summary>The kind of feed this factory reads.</summary>
    FeedKind Kind { get; }

    /// <summary>Creates a reader for <paramref name="feed"/>; throws <see cref="FeedConfigurationException"/> for a bad configuration.</summary>
    IFeedReader Create(FeedOptions feed);
}

/// <summary>A feed's configuration cannot be used (bad profile, unknown time zone, missing XSD folder...).</summary>
public sealed class FeedConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FeedConfigurationException() { }

    /// <summary>Creates the exception with a message.</summary>
    public FeedConfigurationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public FeedConfigurationException(string message, Exception innerException) : base(message, innerException) { }
}
