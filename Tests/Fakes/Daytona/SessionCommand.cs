using System.Text.Json.Nodes;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>A command run in a session, and its process.</summary>
internal sealed record SessionCommand(string Id, string Command, LocalCommand Process)
{
    /// <summary>The exit code once finished; null while it runs.</summary>
    public int? ExitCode => Process.ExitCode;

    /// <summary>The <c>Command</c> DTO: <c>{id, command, exitCode?}</c>, with no exitCode while it runs.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id, ["command"] = Command };
        if (ExitCode is { } exitCode) json["exitCode"] = exitCode;
        return json;
    }
}
