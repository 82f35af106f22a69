namespace Hub.Adapters.Feeds;

/// <summary>The format a feed delivers.</summary>
public enum FeedKind
{
    /// <summary>NEMSIS v3.5 EMSDataSet XML.</summary>
    Nemsis,

    /// <summary>FHIR R4 JSON: Bundles or Bulk Data NDJSON.</summary>
    Fhir,

    /// <summary>Police or 911 CAD calls-for-service CSV.</summary>
    Cad,
}
