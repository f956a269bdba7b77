using System.Text.Json;
using System.Text.Json.Serialization;

namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>The fields of Daytona's <c>Sandbox</c> DTO this adapter reads (API.md §2.2).</summary>
internal sealed record DaytonaSandbox(
    string Id,
    string Name,
    string? State,
    string? DesiredState,
    string? ErrorReason,
    string ToolboxProxyUrl,
    Dictionary<string, string>? Labels);

/// <summary><c>CreateSandbox</c> (API.md §2.1). Null fields are left out, so Daytona applies its defaults.</summary>
internal sealed record DaytonaCreateRequest(
    string Name,
    Dictionary<string, string> Labels,
    Dictionary<string, string> Env,
    bool Public,
    string? Target,
    string? Snapshot,
    int AutoStopInterval,
    int AutoDeleteInterval,
    bool? NetworkBlockAll,
    string? NetworkAllowList,
    DaytonaBuildInfo? BuildInfo,
    int? Cpu,
    int? Memory,
    int? Disk);

/// <summary>What Daytona builds a sandbox from when it is not a snapshot: the SDKs send <c>FROM {image}</c>.</summary>
internal sealed record DaytonaBuildInfo(string DockerfileContent);

internal sealed record DaytonaSandboxPage(List<DaytonaSandbox> Items, string? NextCursor);

internal sealed record DaytonaError(int? StatusCode, string? Message, string? Error);

internal sealed record DaytonaExecuteRequest(string Command, int Timeout);

internal sealed record DaytonaExecuteResponse(int? ExitCode, string? Result);

internal sealed record DaytonaSessionRequest(string SessionId);

internal sealed record DaytonaSessionExecRequest(string Command, bool RunAsync);

internal sealed record DaytonaSessionExecResponse(string CmdId);

internal sealed record DaytonaCommand(string Id, string? Command, int? ExitCode);

internal sealed record DaytonaSession(string SessionId, List<DaytonaCommand>? Commands);

internal sealed record DaytonaLogs(string? Output, string? Stdout, string? Stderr);

/// <summary>Daytona's sandbox states that matter here (API.md §2.4).</summary>
internal static class DaytonaStates
{
    public const string Started = "started";
    public const string Destroyed = "destroyed";
    public const string Error = "error";
    public const string BuildFailed = "build_failed";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DaytonaSandbox))]
[JsonSerializable(typeof(DaytonaCreateRequest))]
[JsonSerializable(typeof(DaytonaBuildInfo))]
[JsonSerializable(typeof(DaytonaSandboxPage))]
[JsonSerializable(typeof(DaytonaError))]
[JsonSerializable(typeof(DaytonaExecuteRequest))]
[JsonSerializable(typeof(DaytonaExecuteResponse))]
[JsonSerializable(typeof(DaytonaSessionRequest))]
[JsonSerializable(typeof(DaytonaSessionExecRequest))]
[JsonSerializable(typeof(DaytonaSessionExecResponse))]
[JsonSerializable(typeof(DaytonaCommand))]
[JsonSerializable(typeof(DaytonaSession))]
[JsonSerializable(typeof(DaytonaLogs))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DaytonaJson : JsonSerializerContext;
