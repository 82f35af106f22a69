namespace Hub.Audit.Storage;

/// <summary>The schema's migrations. Append new versions; never edit a released one.</summary>
internal static class Migrations
{
    public const int Latest = 6;

    public static IReadOnlyList<string> Sqlite(int version) => version switch
    {
        6 => V6("BLOB"),
        5 => V5,
        4 => V4,
        3 => V3,
        2 => V2,
        1 =>
        [
            """
            CREATE TABLE IF NOT EXISTS ledger (
                sequence INTEGER PRIMARY KEY NOT NULL,
                ts INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                correlation_id TEXT NULL,
                feed_id TEXT NULL,
                recipient_id TEXT NULL,
                agreement_id TEXT NULL,
                purpose TEXT NULL,
                legal_basis TEXT NULL,
                profile TEXT NULL,
                person_pseudonym TEXT NULL,
                fields TEXT NOT NULL,
                payload_sha256 TEXT NULL,
                details_json TEXT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL)
            """,
            "CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END",
            "CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END",
            .. Common,
            """
            CREATE TABLE IF NOT EXISTS outbox (
                message_id TEXT PRIMARY KEY NOT NULL,
                ledger_sequence INTEGER NOT NULL,
                recipient_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                destination TEXT NOT NULL,
                message_type TEXT NOT NULL,
                payload BLOB NULL,
                payload_purged_at INTEGER NULL,
                created_at INTEGER NOT NULL,
                delivered_at INTEGER NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS rejects (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                feed_id TEXT NOT NULL, source_name TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_record_id TEXT NULL,
                reason TEXT NOT NULL, location TEXT NOT NULL, recorded_at INTEGER NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS intake_summaries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                feed_id TEXT NOT NULL, source_name TEXT NOT NULL, source_sha256 TEXT NOT NULL,
                overdose INTEGER NOT NULL, not_overdose INTEGER NOT NULL, rejected INTEGER NOT NULL, completed_at INTEGER NOT NULL)
            """,
            .. Indexes,
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    public static IReadOnlyList<string> Postgres(int version) => version switch
    {
        6 => V6("BYTEA"),
        5 => V5,
        4 => V4,
        3 => V3,
        2 => V2,
        1 =>
        [
            """
            CREATE TABLE IF NOT EXISTS ledger (
                sequence BIGINT PRIMARY KEY,
                ts BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                correlation_id TEXT NULL,
                feed_id TEXT NULL,
                recipient_id TEXT NULL,
                agreement_id TEXT NULL,
                purpose TEXT NULL,
                legal_basis TEXT NULL,
                profile TEXT NULL,
                person_pseudonym TEXT NULL,
                fields TEXT NOT NULL,
                payload_sha256 TEXT NULL,
                details_json TEXT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL)
            """,
            """
            CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'ledger is append-only' USING ERRCODE = 'insufficient_privilege';
            END $$
            """,
            "DROP TRIGGER IF EXISTS ledger_no_update ON ledger",
            "CREATE TRIGGER ledger_no_update BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
            "DROP TRIGGER IF EXISTS ledger_no_truncate ON ledger",
            "CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
            .. Common,
            """
            CREATE TABLE IF NOT EXISTS outbox (
                message_id TEXT PRIMARY KEY,
                ledger_sequence BIGINT NOT NULL,
                recipient_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                destination TEXT NOT NULL,
                message_type TEXT NOT NULL,
                payload BYTEA NULL,
                payload_purged_at BIGINT NULL,
                created_at BIGINT NOT NULL,
                delivered_at BIGINT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS rejects (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                feed_id TEXT NOT NULL, source_name TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_record_id TEXT NULL,
                reason TEXT NOT NULL, location TEXT NOT NULL, recorded_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS intake_summaries (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                feed_id TEXT NOT NULL, source_name TEXT NOT NULL, source_sha256 TEXT NOT NULL,
                overdose INTEGER NOT NULL, not_overdose INTEGER NOT NULL, rejected INTEGER NOT NULL, completed_at BIGINT NOT NULL)
            """,
            .. Indexes,
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    /// <summary>
    /// v2: the accounting filters on person, action and time; with action in the index the planner no longer prefers
    /// the (action, ts) index, which scanned every disclosure (SQLite has no statistics until ANALYZE).
    /// </summary>
    private static readonly string[] V2 =
    [
        "CREATE INDEX IF NOT EXISTS ledger_person_action_ts ON ledger (person_pseudonym, action, ts) WHERE person_pseudonym IS NOT NULL",
        "DROP INDEX IF EXISTS ledger_person_ts",
    ];

    /// <summary>
    /// v3: the web console's local accounts (name, role, the agency a recipient user is scoped to, and the
    /// framework's password hash; never a clear password), and the inbox's index. Same DDL on both engines.
    /// </summary>
    private static readonly string[] V3 =
    [
        """
        CREATE TABLE IF NOT EXISTS console_users (
            name TEXT PRIMARY KEY NOT NULL,
            role TEXT NOT NULL,
            agency_id TEXT NULL,
            password_hash TEXT NOT NULL,
            created_at BIGINT NOT NULL)
        """,
        // The inbox: one recipient's notifications, newest first.
        "CREATE INDEX IF NOT EXISTS outbox_recipient ON outbox (recipient_id, ledger_sequence)",
    ];

    /// <summary>
    /// v4: the progress of inputs being read (one row per feed and input, updated while a large file is read, so
    /// <c>hub feeds list</c> and the console show records done and records/s of a running ingest), and the feeds' HTTP
    /// API keys created in the console (stored as SHA-256 only; shown once; revoked, never deleted). Same DDL on both
    /// engines.
    /// </summary>
    private static readonly string[] V4 =
    [
        """
        CREATE TABLE IF NOT EXISTS intake_progress (
            feed_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            source_name TEXT NOT NULL,
            instance TEXT NOT NULL,
            started_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            bytes_total BIGINT NOT NULL,
            bytes_done BIGINT NOT NULL,
            records_done BIGINT NOT NULL,
            records_per_second DOUBLE PRECISION NOT NULL,
            finished_at BIGINT NULL,
            PRIMARY KEY (feed_id, sha256))
        """,
        "CREATE INDEX IF NOT EXISTS intake_progress_updated ON intake_progress (updated_at)",
        """
        CREATE TABLE IF NOT EXISTS feed_api_keys (
            key_id TEXT PRIMARY KEY NOT NULL,
            feed_id TEXT NOT NULL,
            label TEXT NOT NULL,
            key_sha256 TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            created_by TEXT NOT NULL,
            revoked_at BIGINT NULL,
            revoked_by TEXT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS feed_api_keys_feed ON feed_api_keys (feed_id, created_at)",
    ];

    /// <summary>
    /// v5: warnings of ingested inputs (<c>intake_warnings</c>, a count per input), and the console's indexes, measured with 100,000 notifications and 1,000,000 ledger entries. Whether a notification
    /// was acknowledged (and its reported outcomes) is found by its id among those entries only: without it the inbox's
    /// per-row check walked every acknowledgment (20 s for one page). The ledger indexes are partial, so appends of other
    /// actions do not pay for them; queries must name the action as a literal (<c>'acknowledged'</c>) for them to apply.
    /// </summary>
    private static readonly string[] V5 =
    [
        "CREATE INDEX IF NOT EXISTS ledger_acknowledged ON ledger (correlation_id) WHERE action = 'acknowledged'",
        "CREATE INDEX IF NOT EXISTS ledger_outcomes ON ledger (correlation_id) WHERE action = 'outcome-reported'",
        // The privacy officer's weekly chart reads disclosures by time and recipient from this index alone.
        "CREATE INDEX IF NOT EXISTS ledger_disclosed_ts ON ledger (ts, recipient_id) WHERE action = 'disclosed'",
        // A recipient's spike alerts (a few rows among its many notifications).
        "CREATE INDEX IF NOT EXISTS outbox_recipient_type ON outbox (recipient_id, message_type, ledger_sequence)",
        // Non-fatal problems of ingested inputs (XSD warnings in lenient mode): counted per input, the first ones kept.
        "ALTER TABLE intake_summaries ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0",
        """
        CREATE TABLE IF NOT EXISTS intake_warnings (
            feed_id TEXT NOT NULL,
            source_name TEXT NOT NULL,
            source_sha256 TEXT NOT NULL,
            source_record_id TEXT NULL,
            message TEXT NOT NULL,
            recorded_at BIGINT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS intake_warnings_feed ON intake_warnings (feed_id, recorded_at)",
    ];

    /// <summary>
    /// v6: detected events the bus did not take (broker down or blocked), kept until they are published again, so an
    /// accepted input never loses an event. The event is encrypted like an outbox payload (it holds PHI).
    /// </summary>
    private static string[] V6(string blob) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS parked_events (
            event_id TEXT PRIMARY KEY NOT NULL,
            message_id TEXT NOT NULL,
            feed_id TEXT NOT NULL,
            payload {blob} NOT NULL,
            parked_at BIGINT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS parked_events_parked_at ON parked_events (parked_at)",
    ];

    private static readonly string[] Common =
    [
        """
        CREATE TABLE IF NOT EXISTS file_claims (
            feed_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            source_name TEXT NOT NULL,
            claimed_at BIGINT NOT NULL,
            PRIMARY KEY (feed_id, sha256))
        """,
    ];

    private static readonly string[] Indexes =
    [
        // The accounting of disclosures: one person's disclosures in a window.
        "CREATE INDEX IF NOT EXISTS ledger_person_ts ON ledger (person_pseudonym, ts) WHERE person_pseudonym IS NOT NULL",
        // Recipient views and ledger search.
        "CREATE INDEX IF NOT EXISTS ledger_recipient_ts ON ledger (recipient_id, ts) WHERE recipient_id IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS ledger_agreement_ts ON ledger (agreement_id, ts) WHERE agreement_id IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS ledger_action_ts ON ledger (action, ts)",
        // Pending rows in order; delivered rows whose payload retention may purge.
        "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (ledger_sequence) WHERE delivered_at IS NULL",
        "CREATE INDEX IF NOT EXISTS outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL AND payload IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS rejects_feed ON rejects (feed_id, recorded_at)",
        "CREATE INDEX IF NOT EXISTS intake_summaries_feed ON intake_summaries (feed_id, completed_at)",
    ];
}
