using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// Reminders in the <c>reminders</c> table. Each row keeps its grain's uniform hash, so a silo's share of the hash
/// ring, <c>(begin, end]</c> or the wrapped <c>hash &gt; begin OR hash &lt;= end</c>, is one SQL query.
/// </summary>
public sealed class SqliteReminderTable(SqliteDatabase database, ILogger<SqliteReminderTable> logger) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period, etag";

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        logger.ReminderTableStarted(database.FilePath);
    }

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        QueryAsync($"SELECT {Columns} FROM reminders WHERE grain_id = @id", ("@id", grainId.ToString()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        QueryAsync(
            begin < end
                ? $"SELECT {Columns} FROM reminders WHERE grain_hash > @begin AND grain_hash <= @end"
                : $"SELECT {Columns} FROM reminders WHERE grain_hash > @begin OR grain_hash <= @end",
            ("@begin", (long)begin), ("@end", (long)end));

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var rows = await QueryAsync(
            $"SELECT {Columns} FROM reminders WHERE grain_id = @id AND reminder_name = @name",
            ("@id", grainId.ToString()), ("@name", reminderName));
        return rows.Reminders.FirstOrDefault();
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var etag = Guid.NewGuid().ToString("N");
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at, period, etag)
            VALUES (@id, @name, @hash, @start, @period, @etag)
            ON CONFLICT (grain_id, reminder_name) DO UPDATE
            SET start_at = excluded.start_at, period = excluded.period, etag = excluded.etag
            """;
        command.Parameters.AddWithValue("@id", entry.GrainId.ToString());
        command.Parameters.AddWithValue("@name", entry.ReminderName);
        command.Parameters.AddWithValue("@hash", (long)entry.GrainId.GetUniformHashCode());
        command.Parameters.AddWithValue("@start", entry.StartAt.ToUniversalTime().Ticks);
        command.Parameters.AddWithValue("@period", entry.Period.Ticks);
        command.Parameters.AddWithValue("@etag", etag);
        await command.ExecuteNonQueryAsync();
        return etag;
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders WHERE grain_id = @id AND reminder_name = @name AND etag = @etag";
        command.Parameters.AddWithValue("@id", grainId.ToString());
        command.Parameters.AddWithValue("@name", reminderName);
        command.Parameters.AddWithValue("@etag", eTag);
        return await command.ExecuteNonQueryAsync() > 0;
    }

    public async Task TestOnlyClearTable()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders";
        await command.ExecuteNonQueryAsync();
    }

    private async Task<ReminderTableData> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);

        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetString(4),
            });
        }

        return new ReminderTableData(entries);
    }
}
