namespace SandboxAgents;

/// <summary>
/// What a webhook said about the agent's pull request, for the grain to judge: which pull request, the head
/// commit it concerns, and the few facts a decision needs. The grain reads the details (review comments, check output)
/// from GitHub itself when the iteration starts.
/// </summary>
/// <param name="Number">The pull request's number.</param>
/// <param name="HeadSha">The head commit the event is about (a check's commit, the commit a push moved the branch to).</param>
/// <param name="FeedbackId">The review's or comment's id; feedback already read into an iteration is not acted on twice.</param>
/// <param name="AutofixOn">For <see cref="CommandKind.Autofix"/>: whether fixing failing checks is on.</param>
/// <param name="Checks">For <see cref="CommandKind.Fix"/>: the name of the failing suite's app or workflow, and its conclusion.</param>
[GenerateSerializer, Immutable, Alias("SandboxAgents.PullRequestSignal")]
public sealed record PullRequestSignal(
    [property: Id(0)] int Number,
    [property: Id(1)] string? HeadSha = null,
    [property: Id(2)] long? FeedbackId = null,
    [property: Id(3)] bool? AutofixOn = null,
    [property: Id(4)] string? Checks = null,
    [property: Id(5)] string? Conclusion = null);
