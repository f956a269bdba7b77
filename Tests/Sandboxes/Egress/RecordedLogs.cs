using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>Every log entry with its level and structured values, so tests can check both what is logged and what never is.</summary>
public sealed class RecordedLogs : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <summary>Everything written, as one text: messages, values and exceptions.</summary>
    public string AllText => string.Join("\n", Entries.Select(e => $"{e.Message} {string.Join(" ", e.Values.Values)} {e.Exception}"));

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose() { }

    private sealed class Recorder(RecordedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture))
                : [];
            owner.Entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), values, exception));
        }
    }
}

public sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, string?> Values, Exception? Exception);
