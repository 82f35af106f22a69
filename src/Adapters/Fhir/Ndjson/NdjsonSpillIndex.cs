using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Hub.Adapters.Fhir.Ndjson;

/// <summary>Kinds of rows in the spill index (only the types an emergency Encounter's record can use).</summary>
internal enum SpillKind
{
    EmergencyEncounter = 0,
    Condition = 1,
    Observation = 2,
    MedicationAdministration = 3,
    MedicationStatement = 4,
    Consent = 5,
    Patient = 6,
    Medication = 7,
    Location = 8,
}

/// <summary>Flags of a spill row.</summary>
[Flags]
internal enum SpillFlags
{
    None = 0,

    /// <summary>Its Encounter reference cannot be decided by key (conditional, logical): kept to be safe.</summary>
    LinkUndecided = 1,

    /// <summary><see cref="SpillRow.Ref"/> holds an identifier hash (conditional or logical Encounter reference).</summary>
    RefIsIdentifier = 2,
}

/// <summary>One resource recorded by pass 1: where to read it again and the keys that decide what it is needed for.</summary>
internal readonly record struct SpillRow(SpillKind Kind, long Seq, long? Key, long? Ref, SpillFlags Flags, int File, long Offset, int Length);

/// <summary>A row to load for one encounter of a batch.</summary>
internal readonly record struct SpillMember(int Encounter, long Id, SpillKind Kind, long Seq, int File, long Offset, int Length);

/// <summary>
/// The temporary on-disk index of a large NDJSON read (a SQLite database in the feed's temp folder): per resource
/// only its kind, order, key hashes, file and byte range. It decides which resources are kept with the same rules the
/// in-memory reader used (by order of reading), and lists per emergency Encounter the rows its record needs.
/// Memory stays bounded by SQLite's page cache; the file is deleted on dispose.
/// </summary>
internal sealed class NdjsonSpillIndex : IDisposable
{
    private const int CacheKiB = 16 * 1024;

    private static readonly string Schema = $"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA locking_mode = EXCLUSIVE;
            PRAGMA temp_store = FILE;
            PRAGMA cache_size = -{CacheKiB};
            CREATE TABLE res (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, seq INTEGER NOT NULL, key INTEGER, ref INTEGER,
                flags INTEGER NOT NULL, file INTEGER NOT NULL, off INTEGER NOT NULL, len INTEGER NOT NULL, kept INTEGER NOT NULL);
            CREATE TABLE need (owner INTEGER NOT NULL, seq INTEGER NOT NULL, key INTEGER NOT NULL, ident INTEGER NOT NULL);
            CREATE TABLE pending (owner INTEGER NOT NULL, seq INTEGER NOT NULL, key INTEGER NOT NULL, ident INTEGER NOT NULL);
            CREATE TABLE ident (hash INTEGER NOT NULL, id INTEGER NOT NULL);
            CREATE TABLE enc (n INTEGER PRIMARY KEY, id INTEGER NOT NULL);
            CREATE TEMP TABLE front (n INTEGER NOT NULL, id INTEGER NOT NULL);
            """;

    private static readonly string[] RowColumns = ["$id", "$kind", "$seq", "$key", "$ref", "$flags", "$file", "$off", "$len", "$kept"];
    private static readonly string[] NeedColumns = ["$owner", "$seq", "$key", "$ident"];

    private readonly SqliteConnection connection;
    private readonly SqliteCommand insertRow;
    private readonly SqliteCommand insertNeed;
    private readonly SqliteCommand insertPending;
    private readonly SqliteParameter[] rowParameters;
    private readonly SqliteParameter[] needParameters;
    private readonly SqliteParameter[] pendingParameters;
    private SqliteCommand? identInsert;
    private SqliteTransaction? transaction;
    private long nextId;
    private bool disposed;

    public NdjsonSpillIndex(string path)
    {
        Path = path;
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(Schema);
        }
        catch
        {
            connection.Dispose();
            TryDelete(path);
            throw;
        }

        transaction = connection.BeginTransaction();
        insertRow = Command("INSERT INTO res (id, kind, seq, key, ref, flags, file, off, len, kept) VALUES ($id, $kind, $seq, $key, $ref, $flags, $file, $off, $len, $kept)");
        rowParameters = [.. RowColumns.Select(n => insertRow.Parameters.Add(n, SqliteType.Integer))];
        insertNeed = Command("INSERT INTO need (owner, seq, key, ident) VALUES ($owner, $seq, $key, $ident)");
        needParameters = [.. NeedColumns.Select(n => insertNeed.Parameters.Add(n, SqliteType.Integer))];
        insertPending = Command("INSERT INTO pending (owner, seq, key, ident) VALUES ($owner, $seq, $key, $ident)");
        pendingParameters = [.. NeedColumns.Select(n => insertPending.Parameters.Add(n, SqliteType.Integer))];
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Records a resource; returns its row id.</summary>
    public long Add(in SpillRow row)
    {
        var id = ++nextId;
        rowParameters[0].Value = id;
        rowParameters[1].Value = (int)row.Kind;
        rowParameters[2].Value = row.Seq;
        rowParameters[3].Value = row.Key is { } key ? key : DBNull.Value;
        rowParameters[4].Value = row.Ref is { } reference ? reference : DBNull.Value;
        rowParameters[5].Value = (int)row.Flags;
        rowParameters[6].Value = row.File;
        rowParameters[7].Value = row.Offset;
        rowParameters[8].Value = row.Length;
        rowParameters[9].Value = row.Kind == SpillKind.EmergencyEncounter ? 1 : 0;
        insertRow.ExecuteNonQuery();
        return id;
    }

    /// <summary>Records that row <paramref name="owner"/> (read at <paramref name="seq"/>) needs the resource with that key or identifier hash.</summary>
    public void AddNeed(long owner, long seq, long key, bool identifier) => InsertNeed(insertNeed, needParameters, owner, seq, key, identifier);

    /// <summary>
    /// Marks kept rows, with the in-memory reader's rules: Conditions, Observations and medications that link to an
    /// emergency Encounter read before them (or whose link cannot be decided by key); what an emergency Encounter or a
    /// kept medication needed before the row was read; Consents of a needed Patient; every row of a type whose first
    /// conditional reference came before it. <paramref name="allOfTypeSince"/>: kind → order of the first conditional
    /// reference of an emergency Encounter; those of kept medications are added here. Returns the merged map.
    /// </summary>
    public Dictionary<SpillKind, long> DecideKept(IReadOnlyDictionary<SpillKind, long> allOfTypeSince)
    {
        BeginBulk();
        Execute("""
            CREATE INDEX res_key ON res (key, kind);
            CREATE INDEX res_ref ON res (ref);
            CREATE INDEX need_owner ON need (owner);
            UPDATE res SET kept = 1 WHERE kind BETWEEN 1 AND 4 AND (flags & 1) <> 0;
            UPDATE res SET kept = 1 WHERE id IN (SELECT r.id FROM res e CROSS JOIN res r ON r.ref = e.key AND r.kind BETWEEN 1 AND 4 AND r.seq > e.seq WHERE e.kind = 0);
            INSERT INTO need (owner, seq, key, ident) SELECT n.owner, n.seq, n.key, n.ident FROM pending n CROSS JOIN res r ON r.id = n.owner WHERE r.kept = 1;
            """);

        // The first conditional medicationReference of a kept medication makes every later row of its type kept.
        var since = new Dictionary<SpillKind, long>(allOfTypeSince);
        using (var first = Command("SELECT flags >> 8, MIN(seq) FROM res WHERE kind IN (3, 4) AND kept = 1 AND (flags >> 8) <> 0 GROUP BY flags >> 8"))
        using (var reader = first.ExecuteReader())
        {
            while (reader.Read())
            {
                var kind = (SpillKind)(reader.GetInt32(0) - 1);
                since[kind] = Math.Min(since.GetValueOrDefault(kind, long.MaxValue), reader.GetInt64(1));
            }
        }

        Execute("""
            CREATE INDEX need_key ON need (key);
            UPDATE res SET kept = 1 WHERE kept = 0 AND id IN (SELECT r.id FROM need n CROSS JOIN res r ON r.key = n.key AND r.kind IN (1, 2, 6, 7, 8) AND r.seq > n.seq WHERE n.ident = 0);
            UPDATE res SET kept = 1 WHERE kept = 0 AND id IN (SELECT r.id FROM need n CROSS JOIN res r ON r.ref = n.key AND r.kind = 5 AND r.seq > n.seq WHERE n.ident = 0);
            """);
        foreach (var (kind, seq) in since)
        {
            if (kind is SpillKind.Condition or SpillKind.Observation or SpillKind.Patient or SpillKind.Medication or SpillKind.Location)
            {
                using var all = Command("UPDATE res SET kept = 1 WHERE kept = 0 AND kind = $kind AND seq > $seq");
                all.Parameters.AddWithValue("$kind", (int)kind);
                all.Parameters.AddWithValue("$seq", seq);
                all.ExecuteNonQuery();
            }
        }

        Execute("INSERT INTO enc (id) SELECT id FROM res WHERE kind = 0 ORDER BY id;");
        EndBulk();
        return since;
    }

    /// <summary>Records a medication's need before knowing whether the medication is kept (resolved in <see cref="DecideKept"/>).</summary>
    public void AddPendingNeed(long owner, long seq, long key, bool identifier) => InsertNeed(insertPending, pendingParameters, owner, seq, key, identifier);

    private static void InsertNeed(SqliteCommand insert, SqliteParameter[] parameters, long owner, long seq, long key, bool identifier)
    {
        parameters[0].Value = owner;
        parameters[1].Value = seq;
        parameters[2].Value = key;
        parameters[3].Value = identifier ? 1 : 0;
        insert.ExecuteNonQuery();
    }

    /// <summary>Rows whose identifiers must be indexed: emergency Encounters and kept rows of the given kinds, in file order.</summary>
    public List<SpillMember> RowsForIdentifiers(IReadOnlyCollection<SpillKind> kinds)
    {
        var list = new List<SpillMember>();
        if (kinds.Count == 0)
        {
            return list;
        }

        var inList = string.Join(", ", kinds.Select(k => ((int)k).ToString(CultureInfo.InvariantCulture)));
        using var command = Command($"SELECT id, kind, seq, file, off, len FROM res WHERE kept = 1 AND kind IN ({inList}) ORDER BY file, off");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new SpillMember(0, reader.GetInt64(0), (SpillKind)reader.GetInt32(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt32(5)));
        }

        return list;
    }

    /// <summary>Records an identifier hash of a kept row.</summary>
    public void AddIdentifier(long id, long hash)
    {
        identInsert ??= Command("INSERT INTO ident (hash, id) VALUES ($hash, $id)");
        identInsert.Parameters.Clear();
        identInsert.Parameters.AddWithValue("$hash", hash);
        identInsert.Parameters.AddWithValue("$id", id);
        identInsert.ExecuteNonQuery();
    }

    /// <summary>Starts a transaction for many small writes.</summary>
    public void BeginBulk() => transaction ??= connection.BeginTransaction();

    /// <summary>Commits what <see cref="BeginBulk"/> started.</summary>
    public void EndBulk()
    {
        transaction?.Commit();
        transaction?.Dispose();
        transaction = null;
        identInsert?.Dispose();
        identInsert = null;
    }

    /// <summary>The row ids of emergency Encounters <paramref name="first"/>..<paramref name="last"/>, in order.</summary>
    public long[] EncounterIds(int first, int last)
    {
        var ids = new long[last - first + 1];
        using var command = Command("SELECT n, id FROM enc WHERE n BETWEEN $first AND $last");
        command.Parameters.AddWithValue("$first", first);
        command.Parameters.AddWithValue("$last", last);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids[reader.GetInt32(0) - first] = reader.GetInt64(1);
        }

        return ids;
    }

    /// <summary>Indexes the identifiers once they are all recorded.</summary>
    public void FinishIdentifiers() => Execute("CREATE INDEX ident_hash ON ident (hash); CREATE INDEX ident_id ON ident (id);");

    /// <summary>Number of kept rows (the emergency Encounters included): the statistic the in-memory reader reported.</summary>
    public int CountKept()
    {
        using var command = Command("SELECT COUNT(*) FROM res WHERE kept = 1");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Number of emergency Encounters (numbered 1..N in reading order).</summary>
    public int CountEncounters()
    {
        using var command = Command("SELECT COUNT(*) FROM enc");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The rows the records of emergency Encounters <paramref name="first"/>..<paramref name="last"/> need: the
    /// Encounter and earlier emergency Encounters with its key (the first one wins references, as before), what it
    /// references, what links to it, the Medications of linked medications, the Consents of referenced Patients.
    /// </summary>
    public List<SpillMember> MembersOf(int first, int last, bool identifiers)
    {
        var members = new List<SpillMember>();
        BeginBulk();
        const string Columns = "r.id, r.kind, r.seq, r.file, r.off, r.len";
        var sql = $"""
            SELECT b.n, {Columns} FROM enc b CROSS JOIN res r ON r.id = b.id WHERE b.n BETWEEN $first AND $last
            UNION ALL SELECT b.n, {Columns} FROM enc b CROSS JOIN res e ON e.id = b.id CROSS JOIN res r ON r.key = e.key AND r.kind = 0 AND r.id < e.id WHERE b.n BETWEEN $first AND $last
            UNION ALL SELECT b.n, {Columns} FROM enc b CROSS JOIN need n ON n.owner = b.id AND n.ident = 0 CROSS JOIN res r ON r.key = n.key AND r.kept = 1 WHERE b.n BETWEEN $first AND $last
            UNION ALL SELECT b.n, {Columns} FROM enc b CROSS JOIN res e ON e.id = b.id CROSS JOIN res r ON r.ref = e.key AND r.kind BETWEEN 1 AND 4 AND r.kept = 1 AND (r.flags & 2) = 0 WHERE b.n BETWEEN $first AND $last
            """;
        if (identifiers)
        {
            sql += $"""

                UNION ALL SELECT b.n, {Columns} FROM enc b CROSS JOIN need n ON n.owner = b.id AND n.ident = 1 CROSS JOIN ident i ON i.hash = n.key CROSS JOIN res r ON r.id = i.id AND r.kept = 1 WHERE b.n BETWEEN $first AND $last
                UNION ALL SELECT b.n, {Columns} FROM enc b CROSS JOIN ident i ON i.id = b.id CROSS JOIN res r ON r.ref = i.hash AND r.kind BETWEEN 1 AND 4 AND r.kept = 1 AND (r.flags & 2) <> 0 WHERE b.n BETWEEN $first AND $last
                UNION ALL SELECT b.n, {Columns} FROM enc b CROSS JOIN ident i ON i.id = b.id CROSS JOIN ident j ON j.hash = i.hash AND j.id <> i.id CROSS JOIN res r ON r.id = j.id AND r.kind = 0 WHERE b.n BETWEEN $first AND $last
                """;
        }

        using (var command = Command(sql))
        {
            command.Parameters.AddWithValue("$first", first);
            command.Parameters.AddWithValue("$last", last);
            Read(command, members);
        }

        // Second level: Medications of the medications, Consents of the Patients found above.
        Execute("DELETE FROM front;");
        using (var front = Command("INSERT INTO front (n, id) VALUES ($n, $id)"))
        {
            var n = front.Parameters.Add("$n", SqliteType.Integer);
            var id = front.Parameters.Add("$id", SqliteType.Integer);
            foreach (var member in members)
            {
                if (member.Kind is SpillKind.MedicationAdministration or SpillKind.MedicationStatement or SpillKind.Patient)
                {
                    n.Value = member.Encounter;
                    id.Value = member.Id;
                    front.ExecuteNonQuery();
                }
            }
        }

        var second = $"""
            SELECT f.n, {Columns} FROM front f CROSS JOIN need n ON n.owner = f.id AND n.ident = 0 CROSS JOIN res r ON r.key = n.key AND r.kept = 1
            UNION ALL SELECT f.n, {Columns} FROM front f CROSS JOIN res p ON p.id = f.id AND p.kind = 6 CROSS JOIN res r ON r.ref = p.key AND r.kind = 5 AND r.kept = 1
            """;
        if (identifiers)
        {
            second += $"""

                UNION ALL SELECT f.n, {Columns} FROM front f CROSS JOIN need n ON n.owner = f.id AND n.ident = 1 CROSS JOIN ident i ON i.hash = n.key CROSS JOIN res r ON r.id = i.id AND r.kept = 1
                """;
        }

        using (var command = Command(second))
        {
            Read(command, members);
        }

        EndBulk();
        return members;
    }

    /// <summary>Ends the load transaction: rows become visible to the decision queries.</summary>
    public void EndLoad()
    {
        EndBulk();
        insertRow.Transaction = insertNeed.Transaction = insertPending.Transaction = null;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        insertRow.Dispose();
        insertNeed.Dispose();
        insertPending.Dispose();
        identInsert?.Dispose();
        transaction?.Dispose();
        connection.Dispose();
        TryDelete(Path);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the folder is a temp folder; nothing else can be done here.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private static void Read(SqliteCommand command, List<SpillMember> into)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            into.Add(new SpillMember(reader.GetInt32(0), reader.GetInt64(1), (SpillKind)reader.GetInt32(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt64(5), reader.GetInt32(6)));
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
