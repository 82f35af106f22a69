using Hub.Contracts.Model;

namespace Hub.Routing.Tests;

/// <summary>Builds small synthetic events for routing tests.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero); // a Monday, 09:00 in New York

    public static OverdoseEvent Event(
        string id = "e1",
        SourceKind kind = SourceKind.Ems,
        DateTimeOffset? at = null,
        EventLocation? location = null,
        SubjectIdentity? subject = null,
        ClinicalFacts? clinical = null) => new()
        {
            EventId = id,
            SourceKind = kind,
            FeedId = "feed-" + kind.ToString().ToLowerInvariant(),
            SourceAgencyId = "agency-1",
            SourceRecordId = "rec-" + id,
            OccurredAt = at ?? T0,
            Location = location ?? new EventLocation(),
            Subject = subject,
            Clinical = clinical ?? new ClinicalFacts { Substance = SubstanceClass.Opioid, Disposition = DispositionKind.Transported, Fatal = false },
            Detection = new DetectionResult { DefinitionId = "test", DefinitionVersion = "1" },
            Provenance = new Provenance { Source = "test", Sha256 = new string('0', 64), ReceivedAtUtc = at ?? T0 },
        };

    public static EventLocation Point(double latitude, double longitude) =>
        new() { Precision = LocationPrecision.Point, Latitude = latitude, Longitude = longitude };

    public static string TestDataPath(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan by) => _now += by;
}
