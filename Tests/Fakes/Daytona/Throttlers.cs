namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// The API's named throttlers (API.md §5): <c>POST /sandbox</c> counts against <c>sandbox-create</c>;
/// start/stop/delete/archive/recover/resize against <c>sandbox-lifecycle</c>; every other route against
/// <c>authenticated</c>.
/// </summary>
public static class Throttlers
{
    public const string Authenticated = "authenticated";
    public const string SandboxCreate = "sandbox-create";
    public const string SandboxLifecycle = "sandbox-lifecycle";

    private static readonly string[] LifecycleActions = ["start", "stop", "archive", "recover", "resize"];

    public static string For(string method, string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts is ["api", "sandbox"] && method == "POST") return SandboxCreate;
        if (parts is ["api", "sandbox", _] && method == "DELETE") return SandboxLifecycle;
        if (parts is ["api", "sandbox", _, var action] && method == "POST" && LifecycleActions.Contains(action)) return SandboxLifecycle;
        return Authenticated;
    }
}
