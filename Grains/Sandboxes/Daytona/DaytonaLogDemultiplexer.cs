namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>
/// Daytona tags each output chunk with a 3-byte marker: <c>\x01\x01\x01</c> for stdout, <c>\x02\x02\x02</c> for
/// stderr (API.md §4.3). Depending on versions the logs arrive demultiplexed (JSON), raw with markers, or stripped.
/// This turns any of them into plain text.
/// </summary>
internal static class DaytonaLogDemultiplexer
{
    private const string StdoutMarker = "\u0001\u0001\u0001";
    private const string StderrMarker = "\u0002\u0002\u0002";

    public static string Strip(string raw) =>
        raw.Replace(StdoutMarker, "", StringComparison.Ordinal).Replace(StderrMarker, "", StringComparison.Ordinal);

    /// <summary>The combined output in arrival order: the raw <c>output</c> when present, else stdout then stderr.</summary>
    public static string Combine(DaytonaLogs logs) =>
        logs.Output is { Length: > 0 } output ? Strip(output) : (logs.Stdout ?? "") + (logs.Stderr ?? "");
}
