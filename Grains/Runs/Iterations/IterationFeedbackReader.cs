using System.Globalization;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs.Iterations;

/// <summary>
/// Reads what an iteration is to address from GitHub: the reviews and line comments on the pull request newer than
/// those read before, from people with write access and not from bots, and for a fix the failing checks of the head
/// it failed on. Each text is capped here already (the task caps again), so a run's stored feedback stays small.
/// </summary>
public sealed class IterationFeedbackReader(IGitHubPullRequests pullRequests, PermissionChecker permissions)
{
    public const int MaxNotes = 30;
    public const int MaxNoteLength = 4_000;
    public const int MaxDiffHunkLines = 12;
    public const int MaxCheckOutputLength = 6_000;
    public const int MaxAnnotations = 20;

    private static readonly HashSet<string> Feedback = new(StringComparer.OrdinalIgnoreCase) { "CHANGES_REQUESTED", "COMMENTED" };

    /// <summary>The feedback, and the newest review and comment ids seen (read or not), which the caller stores.</summary>
    public async Task<(IterationFeedback Feedback, long ReviewsThrough, long CommentsThrough)> ReadAsync(
        IssueKey issue, AgentPullRequest pullRequest, PendingIteration pending, CancellationToken cancellationToken)
    {
        var key = pullRequest.Key(issue);
        var feedback = new IterationFeedback { PullRequest = pullRequest.Number, FailingHead = pending.FailingHead };
        var reviews = await pullRequests.ListReviewsAsync(key, cancellationToken);
        var comments = await pullRequests.ListReviewCommentsAsync(key, cancellationToken);

        foreach (var review in reviews.Where(r => r.Id > pullRequest.ReviewsReadThrough && Feedback.Contains(r.State) && !string.IsNullOrWhiteSpace(r.Body)))
        {
            if (feedback.Reviews.Count >= MaxNotes || !await MayGiveFeedbackAsync(issue, review.Author, review.ByBot, cancellationToken)) continue;
            feedback.Reviews.Add(new ReviewNote(review.Author, review.State.ToLowerInvariant().Replace('_', ' '), Cap(review.Body!, MaxNoteLength)));
        }

        foreach (var comment in comments.Where(c => c.Id > pullRequest.CommentsReadThrough && !string.IsNullOrWhiteSpace(c.Body)))
        {
            if (feedback.Comments.Count >= MaxNotes || !await MayGiveFeedbackAsync(issue, comment.Author, comment.ByBot, cancellationToken)) continue;
            feedback.Comments.Add(new LineNote(comment.Author, comment.Path, comment.Line, LastLines(comment.DiffHunk, MaxDiffHunkLines), Cap(comment.Body, MaxNoteLength)));
        }

        if (pending.FailingHead is { } head)
        {
            foreach (var check in await FailedChecksAsync(key, head, cancellationToken))
                feedback.Checks.Add(new CheckNote(check.Name, check.Conclusion, Cap(Output(check), MaxCheckOutputLength),
                    [.. check.Annotations.Take(MaxAnnotations).Select(Describe)]));
        }

        return (feedback,
            Math.Max(pullRequest.ReviewsReadThrough, reviews.Count == 0 ? 0 : reviews.Max(r => r.Id)),
            Math.Max(pullRequest.CommentsReadThrough, comments.Count == 0 ? 0 : comments.Max(c => c.Id)));
    }

    /// <summary>
    /// The failing checks, or none when GitHub refuses to list them (a token without read access to checks): the fix
    /// still runs, told which suites failed, and finds the failure by running the tests.
    /// </summary>
    private async Task<IReadOnlyList<FailedCheck>> FailedChecksAsync(IssueKey pullRequest, string head, CancellationToken cancellationToken)
    {
        try
        {
            return await pullRequests.ListFailedChecksAsync(pullRequest, head, cancellationToken);
        }
        catch (GitHubRequestException)
        {
            return [];
        }
    }

    private async Task<bool> MayGiveFeedbackAsync(IssueKey issue, string login, bool byBot, CancellationToken cancellationToken) =>
        !byBot && await permissions.MayCommandAsync(issue, login, cancellationToken);

    private static string Output(FailedCheck check) =>
        string.Join("\n\n", new[] { check.Title, check.Summary, check.Text }.Where(t => !string.IsNullOrWhiteSpace(t)));

    private static string Describe(CheckAnnotation a)
    {
        var lines = a.EndLine > a.StartLine
            ? $"{a.StartLine.ToString(CultureInfo.InvariantCulture)}-{a.EndLine.ToString(CultureInfo.InvariantCulture)}"
            : a.StartLine.ToString(CultureInfo.InvariantCulture);
        return Cap($"{a.Path}:{lines} {a.Level}: {(a.Title is { Length: > 0 } title ? title + ": " : "")}{a.Message}", 500);
    }

    /// <summary>The hunk's header and its last lines: GitHub's hunk runs up to the commented line, which is the part that matters.</summary>
    private static string LastLines(string hunk, int max)
    {
        var lines = hunk.ReplaceLineEndings("\n").Split('\n');
        return lines.Length <= max + 1 ? hunk : string.Join('\n', [lines[0], .. lines[^max..]]);
    }

    private static string Cap(string text, int max) => IssueText.Cap(text, max);
}
