using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// Grain state in the <c>grain_state</c> table with ETag optimistic concurrency: a write or clear whose ETag is not
/// the stored one (a stale ETag, or none over an existing row) throws <see cref="InconsistentStateException"/> and
/// changes nothing. Each successful write stores a fresh ETag.
/// </summary>
public sealed class SqliteGrainStorage(string name, SqliteDatabase database, IGrainStorageSerializer serializer) : IGrainStorage
{
    public string Name { get; } = name;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, "SELECT etag, data FROM grain_state WHERE " + KeyMatches, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.ETag = reader.GetString(0);
        grainState.State = serializer.Deserialize<T>(BinaryData.FromBytes((byte[])reader.GetValue(1)));
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = NewETag();
        var sql = grainState.ETag is null
            ? "INSERT INTO grain_state (grain_type, grain_id, state_name, etag, data) VALUES (@type, @id, @state, @etag, @data) ON CONFLICT DO NOTHING"
            : "UPDATE grain_state SET etag = @etag, data = @data WHERE " + KeyMatches + " AND etag = @expected";
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, sql, stateName, grainId, grainState.ETag);
        command.Parameters.AddWithValue("@etag", etag);
        command.Parameters.AddWithValue("@data", serializer.Serialize(grainState.State).ToArray());
        if (await command.ExecuteNonQueryAsync() == 0)
            throw await ConflictAsync(connection, "write", stateName, grainId, grainState.ETag);

        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await database.OpenAsync();
        if (grainState.ETag is null)
        {
            // Nothing was read or written: clearing is a no-op unless someone else wrote the state meanwhile.
            var stored = await StoredETagAsync(connection, stateName, grainId);
            if (stored is not null)
                throw new InconsistentStateException(ConflictMessage("clear", stateName, grainId), stored, "(none)");
        }
        else
        {
            await using var command = Command(connection, "DELETE FROM grain_state WHERE " + KeyMatches + " AND etag = @expected", stateName, grainId, grainState.ETag);
            if (await command.ExecuteNonQueryAsync() == 0)
                throw await ConflictAsync(connection, "clear", stateName, grainId, grainState.ETag);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private const string KeyMatches = "grain_type = @type AND grain_id = @id AND state_name = @state";

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId, string? expectedETag = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@type", grainId.Type.ToString());
        command.Parameters.AddWithValue("@id", grainId.Key.ToString());
        command.Parameters.AddWithValue("@state", stateName);
        if (expectedETag is not null)
            command.Parameters.AddWithValue("@expected", expectedETag);
        return command;
    }

    private static async Task<string?> StoredETagAsync(SqliteConnection connection, string stateName, GrainId grainId)
    {
        await using var command = Command(connection, "SELECT etag FROM grain_state WHERE " + KeyMatches, stateName, grainId);
        return await command.ExecuteScalarAsync() as string;
    }

    private async Task<InconsistentStateException> ConflictAsync(SqliteConnection connection, string operation, string stateName, GrainId grainId, string? expected)
    {
        var stored = await StoredETagAsync(connection, stateName, grainId);
        return new InconsistentStateException(ConflictMessage(operation, stateName, grainId), stored ?? "(none)", expected ?? "(none)");
    }

    private string ConflictMessage(string operation, string stateName, GrainId grainId) =>
        $"SQLite grain storage '{Name}': {operation} of state '{stateName}' of {grainId} has a stale ETag.";
}
