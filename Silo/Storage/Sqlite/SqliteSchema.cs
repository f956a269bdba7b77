namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// What the writer's connection runs when it opens the file: WAL so readers never block the writer, <c>synchronous =
/// FULL</c> so a commit is on disk (the WAL fsynced) before any caller of that batch is told, and the tables.
/// </summary>
internal static class SqliteSchema
{
    public const string Create = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            state_name TEXT NOT NULL,
            etag       TEXT NOT NULL,
            data       BLOB NOT NULL,
            PRIMARY KEY (grain_type, grain_id, state_name));
        CREATE TABLE IF NOT EXISTS reminders (
            grain_id      TEXT    NOT NULL,
            reminder_name TEXT    NOT NULL,
            grain_hash    INTEGER NOT NULL,
            start_at      INTEGER NOT NULL,
            period        INTEGER NOT NULL,
            etag          TEXT    NOT NULL,
            PRIMARY KEY (grain_id, reminder_name));
        CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (grain_hash);
        """;
}
