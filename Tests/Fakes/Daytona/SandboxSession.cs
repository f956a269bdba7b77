using System.Text.Json.Nodes;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// A daemon session. The real daemon runs a session's commands in one long-lived shell; here each exec is its own
/// <c>bash -c</c> process in the sandbox's working directory, so <c>cd</c> or <c>export</c> do not carry over.
/// </summary>
internal sealed class SandboxSession(string id)
{
    private readonly Lock _gate = new();
    private readonly List<SessionCommand> _commands = [];

    public string Id { get; } = id;

    public IReadOnlyList<SessionCommand> Commands { get { lock (_gate) return [.. _commands]; } }

    public void Add(SessionCommand command)
    {
        lock (_gate) _commands.Add(command);
    }

    public SessionCommand? Find(string commandId) => Commands.FirstOrDefault(c => c.Id == commandId);

    public void Kill()
    {
        foreach (var command in Commands) command.Process.Kill();
    }

    /// <summary>The <c>Session</c> DTO: <c>{sessionId, commands:[Command]}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["sessionId"] = Id,
        ["commands"] = new JsonArray([.. Commands.Select(c => (JsonNode)c.ToJson())]),
    };
}
