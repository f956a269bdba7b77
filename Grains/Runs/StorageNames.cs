namespace SandboxAgents.Runs;

/// <summary>Names the silo configures and the grains rely on.</summary>
public static class StorageNames
{
    /// <summary>The grain storage provider holding every issue's state.</summary>
    public const string Runs = "runs";

    public const string IssueState = "issue";

    public const string InboxState = "inbox";

    public const string RegistryState = "registry";

    public const string QueueState = "queue";

    public const string InstallationState = "installation";

    public const string WatchdogReminder = "watchdog";

    public const string DeliveryRecoveryState = "delivery-recovery";

    public const string DeliveryRecoveryReminder = "delivery-recovery";
}
