namespace SandboxAgents;

/// <summary>
/// Names the silo configures and the grains rely on: the storage provider, each grain's state and its reminders. In the
/// root namespace so that every grain's namespace and the silo reach them without depending on each other. The values are
/// persisted (state and reminder keys): never change them.
/// </summary>
public static class StorageNames
{
    /// <summary>The grain storage provider holding every issue's state.</summary>
    public const string Runs = "runs";

    public const string IssueState = "issue";

    public const string InboxState = "inbox";

    public const string RegistryState = "registry";

    public const string QueueState = "queue";

    public const string InstallationState = "installation";

    public const string PullRequestState = "pull-request";

    public const string WatchdogReminder = "watchdog";

    public const string DeliveryRecoveryState = "delivery-recovery";

    public const string DeliveryRecoveryReminder = "delivery-recovery";
}
