namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>A test that needs root (handing a file to another user); it says so when skipped.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess) Skip = "Needs root: only root hands a file to another user.";
    }
}
