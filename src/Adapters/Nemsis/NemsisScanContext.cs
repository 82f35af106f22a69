using System.Xml.Schema;
using Hub.Adapters.Feeds;
using Hub.Adapters.Nemsis.Detection;
using Microsoft.Extensions.Logging;

namespace Hub.Adapters.Nemsis;

/// <summary>What every document of a feed shares: settings, compiled XSDs, definitions, mapper; turns a parsed PCR into an outcome.</summary>
internal sealed class NemsisScanContext
{
    private readonly NemsisEventMapper mapper;
    private readonly ILogger logger;

    public NemsisScanContext(FeedOptions feed, XmlSchemaSet? schemas, bool strict, IReadOnlyList<NemsisCaseDefinition> definitions, TimeZoneInfo timeZone, ILogger logger)
    {
        Feed = feed;
        Settings = feed.Nemsis;
        Schemas = schemas;
        Strict = strict;
        Definitions = definitions;
        NotOverdoseDefinition = definitions[^1].Qualified;
        mapper = new NemsisEventMapper(feed, timeZone);
        this.logger = logger;
    }

    public FeedOptions Feed { get; }

    public NemsisFeedSettings Settings { get; }

    public XmlSchemaSet? Schemas { get; }

    public bool Strict { get; }

    public IReadOnlyList<NemsisCaseDefinition> Definitions { get; }

    /// <summary>The definition a not-overdose outcome names: the widest one the scope enables.</summary>
    public string NotOverdoseDefinition { get; }

    public RecordOutcome Finish(NemsisPcr pcr, SourceDocument source)
    {
        if (pcr.Fault is { } fault)
        {
            return RecordOutcome.Rejected(pcr.RecordNumber, fault.Reason, fault.Location);
        }

        if (pcr.Validation.Count > 0)
        {
            if (Strict)
            {
                var (message, where) = pcr.Validation[0];
                return RecordOutcome.Rejected(pcr.RecordNumber, NemsisDocumentScanner.Count(message, pcr.Validation.Count), where);
            }

            foreach (var (message, where) in pcr.Validation)
            {
                pcr.Warnings.Add($"{message} ({where})");
            }
        }

        var recordNumber = NemsisEventMapper.Clean(pcr.RecordNumber);
        if (recordNumber is null)
        {
            return RecordOutcome.Rejected(null, "eRecord.01 (patient care report number) is missing or empty", LocationOf(pcr));
        }

        pcr.RecordNumber = recordNumber;
        var match = NemsisClassifier.Classify(pcr, Definitions);
        if (match is null)
        {
            return new RecordOutcome
            {
                Kind = Contracts.Model.RecordOutcomeKind.NotOverdose,
                SourceRecordId = recordNumber,
                Definition = NotOverdoseDefinition,
                Warnings = pcr.Warnings.Count == 0 ? [] : pcr.Warnings.ToArray(),
            };
        }

        var overdose = mapper.Map(pcr, match, source, pcr.Warnings, out var rejectReason);
        if (overdose is null)
        {
            return RecordOutcome.Rejected(recordNumber, rejectReason ?? "could not be mapped", LocationOf(pcr));
        }

        return new RecordOutcome
        {
            Kind = Contracts.Model.RecordOutcomeKind.Overdose,
            SourceRecordId = recordNumber,
            Definition = match.Definition.Qualified,
            Event = overdose,
            Warnings = overdose.Warnings,
        };
    }

    private static string LocationOf(NemsisPcr pcr) => $"line {pcr.Line}, {pcr.Path}";

    public void OnFault(SourceDocument source, int line, int position, string reason) =>
        Log.DocumentFault(logger, Feed.Id, source.Name, line, position, reason);

    public void OnValidationOutsideRecords(SourceDocument source, int count) =>
        Log.ValidationOutsideRecords(logger, Feed.Id, source.Name, count);
}
