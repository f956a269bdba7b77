using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SandboxAgents.Runner;

/// <summary>The values of <see cref="RunnerResult.Outcome"/>.</summary>
public static class RunnerOutcomes
{
    public const string Committed = "committed";
    public const string NoChanges = "no_changes";
    public const string Error = "error";
}

/// <summary>What the runner wrote to <c>.agent-run/result.json</c> (the contract is at the top of run.sh).</summary>
public sealed record RunnerResult(
    string Outcome,
    string? Branch,
    string? BaseBranch,
    string? Commit,
    int Commits,
    int? AgentExitCode,
    string? Error,
    AgentResult? AgentResult,
    CommandReport? Setup = null,
    IReadOnlyList<CommandReport>? Validation = null,
    bool StoppedEarly = false,
    int MessagesDelivered = 0,
    string? SessionId = null)
{
    // The runner writes each property once; a repeated one means the file was tampered with, so it is refused.
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, AllowDuplicateProperties = false };

    /// <summary>Parses the file; never throws on bad input.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out RunnerResult? result, out string? error)
    {
        result = null;
        try
        {
            result = JsonSerializer.Deserialize<RunnerResult>(json, Json);
            error = result switch
            {
                null or { Outcome: not (RunnerOutcomes.Committed or RunnerOutcomes.NoChanges or RunnerOutcomes.Error) } =>
                    "the result has no known outcome",
                { Commits: < 0 } => "the result has a negative commit count",
                { MessagesDelivered: < 0 } => "the result has a negative count of messages delivered",
                { SessionId: { } session } when !IsSessionId(session) => "the result has a malformed session id",
                { Setup: { } setup } when !setup.IsWellFormed => "the result has a malformed setup report",
                { Validation: { } validation } when !validation.All(v => v is { IsWellFormed: true }) =>
                    "the result has a malformed validation report",
                _ => null,
            };
        }
        catch (JsonException ex)
        {
            error = $"the result is not valid JSON: {ex.Message}";
        }

        if (error is not null) result = null;
        return result is not null;
    }

    /// <summary>A session id as the runner passes it on (it is agent-written text, so the runner accepts no other).</summary>
    public static bool IsSessionId(string text) =>
        text.Length is > 0 and <= 128 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}

/// <summary>
/// One setup or validate command as the runner ran it: its text, exit code, time and last lines of output. For the
/// setup, <see cref="Command"/> names the command that failed, or the last one when all passed.
/// </summary>
public sealed record CommandReport(
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("exitCode")] int ExitCode,
    [property: JsonPropertyName("durationMs")] long DurationMs,
    [property: JsonPropertyName("tail")] string? Tail)
{
    /// <summary>The runner writes every report with a command and a duration; one without them was tampered with.</summary>
    public bool IsWellFormed => Command is not null && DurationMs >= 0;
}

/// <summary>The Claude Code CLI's final <c>result</c> object, as far as the outcome depends on it.</summary>
public sealed record AgentResult(
    [property: JsonPropertyName("subtype")] string? Subtype,
    [property: JsonPropertyName("is_error")] bool IsError,
    [property: JsonPropertyName("total_cost_usd")] decimal? TotalCostUsd,
    [property: JsonPropertyName("num_turns")] int? NumTurns,
    [property: JsonPropertyName("result")] string? Result,
    [property: JsonPropertyName("permission_denials")] JsonElement? PermissionDenialList,
    [property: JsonPropertyName("errors")] IReadOnlyList<string>? Errors = null)
{
    public int PermissionDenials => PermissionDenialList is { ValueKind: JsonValueKind.Array } list ? list.GetArrayLength() : 0;

    /// <summary>
    /// Why the agent says it stopped: its <c>errors</c> (the turn and budget limits), or its <c>result</c> when it
    /// flags an error (an API failure reported as <c>success</c> with <c>is_error</c>). Agent-written: untrusted text.
    /// </summary>
    public string? StatedReason =>
        Errors?.Where(e => !string.IsNullOrWhiteSpace(e)).ToList() is { Count: > 0 } errors ? string.Join("; ", errors)
        : IsError && !string.IsNullOrWhiteSpace(Result) ? Result
        : null;
}
