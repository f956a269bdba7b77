using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// Reminders in the <c>reminders</c> table. Each row keeps its grain's uniform hash, so a silo's share of the hash
/// ring, <c>(begin, end]</c> or the wrapped <c>hash &gt; begin OR hash &lt;= end</c>, is one SQL query. Upserts and
/// removals go through the file's one writer, beside the grain state writes.
/// </summary>
public sealed class SqliteReminderTable(SqliteDatabase database, ILogger<SqliteReminderTable> logger) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period, etag";

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await database.EnsureCreatedAsync().WaitAsync(cancellationToken);
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

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        var etag = Guid.NewGuid().ToString("N");
        var id = entry.GrainId.ToString();
        var hash = (long)entry.GrainId.GetUniformHashCode();
        var name = entry.ReminderName;
        var start = entry.StartAt.ToUniversalTime().Ticks;
        var period = entry.Period.Ticks;
        return database.WriteAsync<string?>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at, period, etag)
                VALUES (@id, @name, @hash, @start, @period, @etag)
                ON CONFLICT (grain_id, reminder_name) DO UPDATE
                SET start_at = excluded.start_at, period = excluded.period, etag = excluded.etag
                """;
            command.Parameters.AddWithValue("@id", id);
            command.Parameters.AddWithValue("@name", name);
            command.Parameters.AddWithValue("@hash", hash);
            command.Parameters.AddWithValue("@start", start);
            command.Parameters.AddWithValue("@period", period);
            command.Parameters.AddWithValue("@etag", etag);
            command.ExecuteNonQuery();
            return etag;
        });
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var id = grainId.ToString();
        return database.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM reminders WHERE grain_id = @id AND reminder_name = @name AND etag = @etag";
            command.Parameters.AddWithValue("@id", id);
            command.Parameters.AddWithValue("@name", reminderName);
            command.Parameters.AddWithValue("@etag", eTag);
            return command.ExecuteNonQuery() > 0;
        });
    }

    public Task TestOnlyClearTable() => database.WriteAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders";
        return command.ExecuteNonQuery();
    });

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
