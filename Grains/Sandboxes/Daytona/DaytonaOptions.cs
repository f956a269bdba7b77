namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>Section <c>Daytona</c>: the account, and the shape and safety nets of every sandbox this service creates.</summary>
public sealed class DaytonaOptions
{
    public const string SectionName = "Daytona";

    public Uri ApiUrl { get; set; } = new("https://app.daytona.io/api");

    /// <summary>Organisation API key (Bearer). A secret: never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Region (e.g. <c>us</c>, <c>eu</c>); the organisation's default when empty.</summary>
    public string? Target { get; set; }

    /// <summary>Snapshot to start from; Daytona's default snapshot (which includes Claude Code) when empty.</summary>
    public string? Snapshot { get; set; }

    /// <summary>An image to build the sandbox from instead of a snapshot (Daytona builds <c>FROM {Image}</c>).</summary>
    public string? Image { get; set; }

    /// <summary>vCPUs, memory and disk (GiB) of a sandbox built from <see cref="Image"/>; Daytona allows them only then.</summary>
    public int? Cpu { get; set; }

    public int? Memory { get; set; }

    public int? Disk { get; set; }

    /// <summary>
    /// Minutes without activity before Daytona stops a sandbox. Finite, so a sandbox this service forgets stops on its
    /// own. Activity is a toolbox request (API.md §1): a followed command's log connection is renewed every
    /// <see cref="FollowRenewInterval"/>, and every status call counts too, so a watched run is never stopped under it.
    /// At least twice <see cref="FollowRenewInterval"/>.
    /// </summary>
    public int AutoStopMinutes { get; set; } = 30;

    /// <summary>
    /// How long one log-follow WebSocket is kept before a new one replaces it. The only request made while a command is
    /// followed, and what keeps its sandbox active: at most half of <see cref="AutoStopMinutes"/>.
    /// </summary>
    public TimeSpan FollowRenewInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Minutes after stopping before Daytona deletes the sandbox; 0 deletes at once on stop.</summary>
    public int AutoDeleteMinutes { get; set; }

    /// <summary>Block all outbound traffic from the sandbox.</summary>
    public bool NetworkBlockAll { get; set; }

    /// <summary>Comma-separated IPv4 CIDRs (at most 10) the sandbox may reach; empty allows what the organisation allows.</summary>
    public string? NetworkAllowList { get; set; }

    /// <summary>How long to wait for a new sandbox to reach <c>started</c> (the SDKs wait 60 s).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First poll interval while waiting for <c>started</c>; grows ×1.1 after five seconds, up to one second.</summary>
    public TimeSpan StartPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Time-out of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time-out of one call including its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of a failed call (429, 408, 5xx, transport errors); creates are never retried blindly.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>Base delay of the exponential, jittered back-off.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
