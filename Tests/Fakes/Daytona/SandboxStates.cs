namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>The <c>SandboxState</c> values the fake uses (API.md §2.4; apps/api/src/sandbox/enums/sandbox-state.enum.ts).</summary>
public static class SandboxStates
{
    public const string Creating = "creating";
    public const string PendingBuild = "pending_build";
    public const string Started = "started";
    public const string Starting = "starting";
    public const string Stopping = "stopping";
    public const string Stopped = "stopped";
    public const string Destroying = "destroying";
    public const string Destroyed = "destroyed";
    public const string Error = "error";
}
