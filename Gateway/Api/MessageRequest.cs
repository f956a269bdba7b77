namespace SandboxAgents.Gateway.Api;

/// <summary>Body of <c>POST /api/tasks/{owner}/{repo}/{number}/messages</c>: more instructions for the active run, given to the agent when its current invocation ends.</summary>
public sealed record MessageRequest(string? Text);
