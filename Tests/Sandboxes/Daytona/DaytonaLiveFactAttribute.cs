namespace SandboxAgents.Tests.Sandboxes.Daytona;

/// <summary>A test against the real Daytona service: it runs only when <c>DAYTONA_API_KEY</c> is set, and says so when skipped.</summary>
public sealed class DaytonaLiveFactAttribute : FactAttribute
{
    public const string KeyVariable = "DAYTONA_API_KEY";

    public DaytonaLiveFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(KeyVariable)))
            Skip = $"{KeyVariable} is not set: the live Daytona check did not run.";
    }
}
