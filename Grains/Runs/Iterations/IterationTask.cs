using System.Globalization;
using System.Text;

namespace SandboxAgents.Runs.Iterations;

/// <summary>
/// The part of an iteration's task that says what to address: the reviews, the line comments with their diff, the
/// failing checks' output, and what earlier iterations said they did. <see cref="TaskDocument"/> fences each text as
/// user content (reviewers, CI output and the agent's own words are all untrusted).
/// </summary>
internal static class IterationTask
{
    public static void Introduce(StringBuilder document, IterationFeedback feedback)
    {
        var number = feedback.PullRequest.ToString(CultureInfo.InvariantCulture);
        document.AppendLine(CultureInfo.InvariantCulture, $"You are working in a clone of the repository, on the branch of pull request #{number}, which earlier runs");
        document.AppendLine("of this service opened for the issue below; their commits are in the history. Address the feedback below with the");
        document.AppendLine("smallest complete change, keeping what already works, with tests where the project has them. Do not commit, push or");
        document.AppendLine("open pull requests: the service commits what you change and pushes it to the same pull request. Never print or");
        document.AppendLine("write credentials.");
    }

    /// <summary>Appends the feedback's sections; <paramref name="block"/> writes one fenced block of user content.</summary>
    public static void Append(StringBuilder document, IterationFeedback feedback, Action<string, string> block)
    {
        if (feedback.EarlierIterations.Count > 0)
        {
            document.AppendLine("## What earlier iterations did (as the agent said; it may be wrong)");
            document.AppendLine();
            foreach (var earlier in feedback.EarlierIterations) block("an earlier iteration's summary", earlier);
        }

        if (feedback.Reviews.Count > 0 || feedback.Comments.Count > 0)
        {
            document.AppendLine("## Review feedback to address, oldest first");
            document.AppendLine();
            foreach (var review in feedback.Reviews) block($"review by @{Login(review.Author)} ({review.State})", review.Body);
            foreach (var comment in feedback.Comments)
            {
                var where = comment.Line is { } line ? $"{comment.Path}:{line.ToString(CultureInfo.InvariantCulture)}" : comment.Path;
                block($"review comment by @{Login(comment.Author)} on {Visible(where)}", $"Diff up to the line:\n{comment.DiffHunk}\n\nComment:\n{comment.Body}");
            }
        }

        if (feedback.FailingHead is { } head)
        {
            document.AppendLine(CultureInfo.InvariantCulture, $"## Checks that failed on {head[..Math.Min(12, head.Length)]}, the pull request's head");
            document.AppendLine();
            if (feedback.Checks.Count == 0) document.AppendLine("GitHub listed no failing check runs with output; run the project's tests to find the failure.").AppendLine();
            foreach (var check in feedback.Checks)
            {
                var annotations = check.Annotations.Count == 0 ? "" : "\n\nAnnotations:\n" + string.Join('\n', check.Annotations);
                block($"check {Visible(check.Name)} ({check.Conclusion})", check.Output + annotations);
            }
        }
    }

    /// <summary>Every text the feedback holds, which the task's boundary id must not occur in.</summary>
    public static IEnumerable<string> Texts(IterationFeedback? feedback) => feedback is null ? [] :
        [.. feedback.EarlierIterations, .. feedback.Reviews.Select(r => r.Body), .. feedback.Comments.SelectMany(c => new[] { c.Body, c.DiffHunk, c.Path }),
            .. feedback.Checks.SelectMany(c => c.Annotations.Append(c.Output).Append(c.Name))];

    /// <summary>A name that stands in a boundary line: printable, one line, short.</summary>
    private static string Visible(string text) => new([.. text.Where(c => !char.IsControl(c) && c != '<' && c != '>').Take(200)]);

    private static string Login(string login) => new([.. login.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '[' || c == ']').Take(39)]);
}
