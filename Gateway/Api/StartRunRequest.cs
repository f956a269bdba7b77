namespace SandboxAgents.Gateway.Api;

/// <summary>Body of <c>POST /api/tasks</c>: start a run for an existing issue, with optional extra instructions.</summary>
public sealed record StartRunRequest(string? Repository, int Issue, string? Instructions, string? Model = null);
