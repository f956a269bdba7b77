using Microsoft.Extensions.Logging;

namespace SandboxAgents.Silo.Storage.Sqlite;

internal static partial class SqliteStorageLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Reminders (and grain state) are kept in the SQLite file {File}")]
    public static partial void ReminderTableStarted(this ILogger logger, string file);
}
