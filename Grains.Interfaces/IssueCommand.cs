namespace SandboxAgents;

/// <summary>What someone asked of an issue's run.</summary>
[GenerateSerializer, Alias("SandboxAgents.CommandKind")]
public enum CommandKind
{
    Run = 0,
    Cancel = 1,
    Retry = 2,

    /// <summary>Review feedback on the agent's pull request: a follow-up run on the same branch.</summary>
    Iterate = 3,

    /// <summary>A failing check on the head commit of the agent's pull request: a fix run on the same branch.</summary>
    Fix = 4,

    /// <summary>More instructions for the active run, delivered when the agent's current invocation ends.</summary>
    Message = 5,

    /// <summary><c>/agent autofix off|on</c> on the agent's pull request (<see cref="PullRequestSignal.AutofixOn"/>).</summary>
    Autofix = 6,

    /// <summary>The head of the agent's pull request moved (<see cref="PullRequestSignal.HeadSha"/>); a push not the service's own stops fixes.</summary>
    HeadPushed = 7,
}

/// <summary>Which surface a command came from; shown in the history and the status comment.</summary>
[GenerateSerializer, Alias("SandboxAgents.CommandSource")]
public enum CommandSource
{
    Label = 0,
    Comment = 1,
    IssueClosed = 2,
    LabelRemoved = 3,
    Api = 4,
    Dashboard = 5,

    /// <summary>GitHub said the App was uninstalled from the repository's account.</summary>
    AppUninstalled = 6,

    /// <summary>GitHub said the App's installation on the repository's account was suspended.</summary>
    AppSuspended = 7,

    /// <summary>GitHub said the repository was taken out of the App's installation.</summary>
    RepositoryRemoved = 8,

    /// <summary>A review submitted on the agent's pull request (changes requested, or commented with a body).</summary>
    Review = 9,

    /// <summary>A line comment on the agent's pull request's diff.</summary>
    ReviewComment = 10,

    /// <summary>A <c>/agent</c> comment in the agent's pull request's conversation.</summary>
    PullRequestComment = 11,

    /// <summary>A check suite completed on the agent's pull request's head commit.</summary>
    CheckSuite = 12,

    /// <summary>An Actions workflow run completed on the agent's pull request's head commit.</summary>
    WorkflowRun = 13,

    /// <summary>GitHub said the agent's pull request's branch moved (<c>pull_request</c> <c>synchronize</c>).</summary>
    PullRequestPush = 14,
}

/// <summary>
/// A command for one issue, as the gateway understood it. The grain decides whether the actor may give it
/// (<see cref="RequiresPermission"/>) and what it means for the current run.
/// </summary>
/// <param name="DeliveryId">GitHub's <c>X-GitHub-Delivery</c>, used to drop redeliveries; null for API calls.</param>
/// <param name="Actor">GitHub login of the person who asked.</param>
/// <param name="Issue">Title and body as the event carried them; null when the grain must read them.</param>
/// <param name="CommentId">The comment that gave the command, if one did (it gets the 👀 acknowledgement).</param>
/// <param name="InstallationId">The GitHub App installation the delivery came through (<c>installation.id</c>), if any.</param>
/// <param name="Model">The model a run or retry asked for (<c>--model</c>), as written: the grain refuses a name <see cref="ModelName"/> does not allow.</param>
/// <param name="PullRequest">For commands about the agent's pull request: which one, and what GitHub said of it.</param>
[GenerateSerializer, Immutable, Alias("SandboxAgents.IssueCommand")]
public sealed record IssueCommand(
    [property: Id(0)] CommandKind Kind,
    [property: Id(1)] CommandSource Source,
    [property: Id(2)] string Actor,
    [property: Id(3)] string? DeliveryId,
    [property: Id(4)] IssueText? Issue,
    [property: Id(5)] string? Instructions = null,
    [property: Id(6)] long? CommentId = null,
    [property: Id(7)] long? InstallationId = null,
    [property: Id(8)] string? Model = null,
    [property: Id(9)] PullRequestSignal? PullRequest = null)
{
    /// <summary>
    /// Starting or cancelling from a comment needs write access, checked against GitHub. Closing an issue or removing
    /// its label already needed triage rights on GitHub, and the operator API checks its own key.
    /// </summary>
    public bool RequiresPermission => Source is CommandSource.Label or CommandSource.Comment
        or CommandSource.Review or CommandSource.ReviewComment or CommandSource.PullRequestComment;

    /// <summary>
    /// The command comes from GitHub itself because the service lost its access to the repository: nothing more can
    /// be written there for the runs it ends, so they settle without their comment.
    /// </summary>
    public bool WithdrawsGitHubAccess => Source is CommandSource.AppUninstalled or CommandSource.AppSuspended or CommandSource.RepositoryRemoved;
}

/// <summary>The issue's title and body at the time of the command.</summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.IssueText")]
public sealed record IssueText([property: Id(0)] string Title, [property: Id(1)] string Body)
{
    /// <summary>GitHub's own limit on an issue title, in characters.</summary>
    public const int MaxTitleLength = 256;

    /// <summary>GitHub's own limit on an issue body (and a comment), in characters.</summary>
    public const int MaxBodyLength = 65_536;

    /// <summary>
    /// The text held to GitHub's limits, so nothing longer than GitHub itself would keep reaches grain state or the
    /// registry, whoever made the text. A surrogate pair is never split.
    /// </summary>
    public static IssueText Capped(string? title, string? body) => new(Cap(title, MaxTitleLength), Cap(body, MaxBodyLength));

    /// <summary>This text held to GitHub's limits; itself when it already is.</summary>
    public IssueText Capped() => Title.Length <= MaxTitleLength && Body.Length <= MaxBodyLength ? this : Capped(Title, Body);

    /// <summary>The first <paramref name="max"/> characters at most, one fewer when the cut would split a surrogate pair.</summary>
    public static string Cap(string? text, int max)
    {
        text ??= "";
        if (text.Length <= max) return text;
        return text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
    }
}

/// <summary>How the grain took a command: only <see cref="Accepted"/> commands are acted on.</summary>
[GenerateSerializer, Alias("SandboxAgents.SubmitOutcome")]
public enum SubmitOutcome
{
    /// <summary>Recorded; the grain acts on it in its next tick (where a command that needs it is checked for permission).</summary>
    Accepted = 0,

    /// <summary>The delivery was seen before: nothing changes.</summary>
    DuplicateDelivery = 1,

    /// <summary>A cancel, but no run is active or about to start.</summary>
    NoActiveRun = 2,

    /// <summary>A run or retry, but a run is already active or about to start.</summary>
    RunAlreadyActive = 3,

    /// <summary>A retry of an issue that never had a run.</summary>
    NothingToRetry = 4,

    /// <summary>About a pull request this service did not open: nothing changes.</summary>
    NotAgentPullRequest = 5,
}

/// <summary>The grain's answer to a command: its decision, and the issue as it stands once the command is recorded.</summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.CommandAnswer")]
public sealed record CommandAnswer([property: Id(0)] SubmitOutcome Outcome, [property: Id(1)] IssueSnapshot Issue);
