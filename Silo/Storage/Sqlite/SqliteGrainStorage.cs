using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// Grain state in the <c>grain_state</c> table with ETag optimistic concurrency: a write or clear whose ETag is not
/// the stored one (a stale ETag, or none over an existing row) throws <see cref="InconsistentStateException"/> and
/// changes nothing. Each successful write stores a fresh ETag. Writes and clears go through the file's one writer, so
/// concurrent grains share a commit; a stale one changes no row and fails only its own caller.
/// </summary>
public sealed class SqliteGrainStorage(string name, SqliteDatabase database, IGrainStorageSerializer serializer) : IGrainStorage
{
    private const string KeyMatches = "grain_type = @type AND grain_id = @id AND state_name = @state";

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
        var expected = grainState.ETag;
        var data = serializer.Serialize(grainState.State).ToArray();
        var sql = expected is null
            ? "INSERT INTO grain_state (grain_type, grain_id, state_name, etag, data) VALUES (@type, @id, @state, @etag, @data) ON CONFLICT DO NOTHING"
            : "UPDATE grain_state SET etag = @etag, data = @data WHERE " + KeyMatches + " AND etag = @expected";
        var outcome = await database.WriteAsync(connection =>
        {
            using var command = Command(connection, sql, stateName, grainId, expected);
            command.Parameters.AddWithValue("@etag", etag);
            command.Parameters.AddWithValue("@data", data);
            return Outcome.Of(command.ExecuteNonQuery(), connection, stateName, grainId);
        });
        if (!outcome.Changed)
            throw Conflict("write", stateName, grainId, outcome.Stored, expected);

        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = grainState.ETag;
        if (expected is null)
        {
            // Nothing was read or written: clearing is a no-op unless someone else wrote the state meanwhile.
            await using var connection = await database.OpenAsync();
            var stored = StoredETag(connection, stateName, grainId);
            if (stored is not null)
                throw Conflict("clear", stateName, grainId, stored, expected);
        }
        else
        {
            var outcome = await database.WriteAsync(connection =>
            {
                using var command = Command(connection, "DELETE FROM grain_state WHERE " + KeyMatches + " AND etag = @expected", stateName, grainId, expected);
                return Outcome.Of(command.ExecuteNonQuery(), connection, stateName, grainId);
            });
            if (!outcome.Changed)
                throw Conflict("clear", stateName, grainId, outcome.Stored, expected);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

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

    private static string? StoredETag(SqliteConnection connection, string stateName, GrainId grainId)
    {
        using var command = Command(connection, "SELECT etag FROM grain_state WHERE " + KeyMatches, stateName, grainId);
        return command.ExecuteScalar() as string;
    }

    private InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? stored, string? expected) =>
        new($"SQLite grain storage '{Name}': {operation} of state '{stateName}' of {grainId} has a stale ETag.", stored ?? "(none)", expected ?? "(none)");

    /// <summary>What a write did, decided inside its batch: the ETag it lost to is the one stored at that point.</summary>
    private readonly record struct Outcome(bool Changed, string? Stored)
    {
        public static Outcome Of(int rows, SqliteConnection connection, string stateName, GrainId grainId) =>
            rows > 0 ? new(true, null) : new(false, StoredETag(connection, stateName, grainId));
    }
}
