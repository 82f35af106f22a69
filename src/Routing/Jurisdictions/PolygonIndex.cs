using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace Hub.Routing.Jurisdictions;

/// <summary>
/// Point-in-polygon lookup over many jurisdiction polygons: an STR-tree of envelopes narrows the candidates, then a
/// prepared geometry answers <c>Covers</c>. A point exactly on a polygon's edge or vertex is inside (covers, not
/// contains), so an event on a shared border between two jurisdictions goes to both; a point inside a hole is outside.
/// </summary>
/// <typeparam name="T">What each polygon stands for (e.g. a recipient index).</typeparam>
public sealed class PolygonIndex<T>
{
    private readonly STRtree<Entry> _tree = new();
    private readonly GeometryFactory _factory = new(new PrecisionModel(), 4326);
    private int _count;

    /// <summary>Number of polygons added.</summary>
    public int Count => _count;

    /// <summary>Adds a polygonal geometry; must be called before the first query.</summary>
    public void Add(Geometry geometry, T value)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        // One entry per polygon part keeps envelopes tight for scattered multipolygons.
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            var part = geometry.GetGeometryN(i);
            _tree.Insert(part.EnvelopeInternal, new Entry(PreparedGeometryFactory.Prepare(part), value));
            _count++;
        }
    }

    /// <summary>Builds the tree now rather than on the first query (so the first event is not slow).</summary>
    public void Build() => _tree.Build();

    /// <summary>Adds to <paramref name="results"/> the value of every polygon covering the point (edges included).</summary>
    public void Query(double longitude, double latitude, ICollection<T> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var envelope = new Envelope(longitude, longitude, latitude, latitude);
        var candidates = _tree.Query(envelope);
        if (candidates.Count == 0)
        {
            return;
        }

        var point = _factory.CreatePoint(new Coordinate(longitude, latitude));
        foreach (var candidate in candidates)
        {
            if (candidate.Prepared.Covers(point) && !results.Contains(candidate.Value))
            {
                results.Add(candidate.Value);
            }
        }
    }

    private sealed record Entry(IPreparedGeometry Prepared, T Value);
}
