using Octokit.Webhooks;
using Octokit.Webhooks.Events.CheckSuite;
using Octokit.Webhooks.Events.IssueComment;
using Octokit.Webhooks.Events.PullRequest;
using Octokit.Webhooks.Events.PullRequestReview;
using Octokit.Webhooks.Events.PullRequestReviewComment;
using Octokit.Webhooks.Events.WorkflowRun;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Maps a delivery about a pull request to a command for that pull request's grain, without side effects: review
/// feedback (changes requested, a commented review with a body, a line comment) iterates; a <c>/agent</c> comment in
/// its conversation iterates, cancels or turns autofix off and on; a failing check suite or workflow run on its head
/// asks for a fix; a push to its branch says where the head is now. Whether the pull request is the agent's is the
/// grain's to know, and whether the sender may command is the issue grain's check. Feedback from bots is ignored;
/// checks and pushes are not, since CI apps and the service itself send them.
/// </summary>
public static class PullRequestEventRouter
{
    /// <summary>The decision, or null when the delivery is not about a pull request (the issue router's to judge).</summary>
    public static PullRequestRouteDecision? Route(WebhookEvent delivery, string? deliveryId, TriggerOptions triggers, string? ownBotLogin = null)
    {
        var aboutPullRequest = delivery is PullRequestReviewSubmittedEvent or PullRequestReviewCommentCreatedEvent
            or IssueCommentCreatedEvent { Issue.PullRequest: not null }
            or CheckSuiteCompletedEvent or WorkflowRunCompletedEvent or PullRequestSynchronizeEvent;
        if (!aboutPullRequest) return null;
        if (delivery.Sender is null) return PullRequestRouteDecision.Ignore("no sender");
        if (delivery.Repository is null) return PullRequestRouteDecision.Ignore("no repository");
        var fromPeopleOnly = delivery is not (CheckSuiteCompletedEvent or WorkflowRunCompletedEvent or PullRequestSynchronizeEvent);
        if (fromPeopleOnly && CommandSenders.WhyIgnored(delivery.Sender, ownBotLogin) is { } bot) return PullRequestRouteDecision.Ignore(bot);

        var on = new Target(delivery, deliveryId);
        return delivery switch
        {
            PullRequestReviewSubmittedEvent e => FromReview(e, on),
            PullRequestReviewCommentCreatedEvent e => on.Command(e.PullRequest.Number, CommandKind.Iterate, CommandSource.ReviewComment,
                e.Comment.CommitId, feedbackId: e.Comment.Id),
            IssueCommentCreatedEvent e => FromComment(e, on, triggers),
            CheckSuiteCompletedEvent e => FromCheck(on, CommandSource.CheckSuite, e.CheckSuite.Conclusion?.StringValue, e.CheckSuite.HeadSha,
                e.CheckSuite.App.Slug ?? e.CheckSuite.App.Name, [.. e.CheckSuite.PullRequests.Where(p => p.Base.Repo.Id == e.Repository!.Id).Select(p => p.Number)]),
            WorkflowRunCompletedEvent e => FromCheck(on, CommandSource.WorkflowRun, e.WorkflowRun.Conclusion?.StringValue, e.WorkflowRun.HeadSha,
                e.WorkflowRun.Name, [.. e.WorkflowRun.PullRequests.Where(p => p.Base.Repo.Id == e.Repository!.Id).Select(p => p.Number)]),
            PullRequestSynchronizeEvent e => on.Command(e.Number, CommandKind.HeadPushed, CommandSource.PullRequestPush, e.After),
            _ => null,
        };
    }

    /// <summary>
    /// Parses a <c>{prefix}</c> comment in a pull request's conversation: <c>autofix off|on</c>, <c>cancel|stop</c>, or
    /// anything else an iteration (<c>run</c> and <c>retry</c> as on the issue, with <c>--model</c>; other text is the
    /// instructions). Null when the comment is not a command.
    /// </summary>
    public static ParsedPullRequestComment? ParseComment(string? body, string prefix)
    {
        var text = (body ?? "").TrimStart();
        if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = text[prefix.Length..];
        if (rest.Length > 0 && !char.IsWhiteSpace(rest[0])) return null;

        var words = rest.Trim().Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (words is [var verb, ..] && verb.Equals("autofix", StringComparison.OrdinalIgnoreCase))
        {
            return words switch
            {
                [_, var on] when on.Equals("on", StringComparison.OrdinalIgnoreCase) => new(CommandKind.Autofix, null, AutofixOn: true),
                [_, var off] when off.Equals("off", StringComparison.OrdinalIgnoreCase) => new(CommandKind.Autofix, null, AutofixOn: false),
                _ => null,
            };
        }

        return WebhookCommandRouter.ParseComment(text, prefix) switch
        {
            { Kind: CommandKind.Cancel } => new(CommandKind.Cancel, null),
            { } run => new(CommandKind.Iterate, run.Instructions, run.Model),
            null => new(CommandKind.Iterate, rest.Trim()),
        };
    }

    private static PullRequestRouteDecision FromReview(PullRequestReviewSubmittedEvent e, Target on)
    {
        // Webhooks spell the state in lower case, the REST API in upper case: take either.
        var state = e.Review.State?.StringValue.ToLowerInvariant();
        var commented = state == "commented";
        var feedback = state == "changes_requested" || (commented && !string.IsNullOrWhiteSpace(e.Review.Body));
        return feedback
            ? on.Command(e.PullRequest.Number, CommandKind.Iterate, CommandSource.Review, e.Review.CommitId, feedbackId: e.Review.Id)
            : PullRequestRouteDecision.Ignore(commented ? "review commented without a body" : $"review {state ?? "without a state"} asks for nothing");
    }

    private static PullRequestRouteDecision FromComment(IssueCommentCreatedEvent e, Target on, TriggerOptions triggers)
    {
        if (ParseComment(e.Comment.Body, triggers.Command) is not { } parsed) return PullRequestRouteDecision.Ignore("comment is not a command");
        return on.Command(e.Issue.Number, parsed.Kind, CommandSource.PullRequestComment, headSha: null,
            instructions: parsed.Instructions, commentId: e.Comment.Id, model: parsed.Model, autofixOn: parsed.AutofixOn);
    }

    private static PullRequestRouteDecision FromCheck(
        Target on, CommandSource source, string? conclusion, string headSha, string checks, long[] pullRequests)
    {
        if (!CheckConclusions.IsFailing(conclusion)) return PullRequestRouteDecision.Ignore($"{source} concluded {conclusion ?? "nothing"}");
        if (pullRequests is not [var first, .. var others]) return PullRequestRouteDecision.Ignore("not on a pull request");
        return on.Command(first, CommandKind.Fix, source, headSha, checks: checks, conclusion: conclusion, alsoOn: others);
    }

    /// <summary>What every command from one delivery carries: its repository, delivery id, sender and installation.</summary>
    private readonly record struct Target(WebhookEvent Delivery, string? DeliveryId)
    {
        public PullRequestRouteDecision Command(
            long number, CommandKind kind, CommandSource source, string? headSha, long? feedbackId = null, string? instructions = null,
            long? commentId = null, string? model = null, bool? autofixOn = null, string? checks = null, string? conclusion = null,
            IReadOnlyList<long>? alsoOn = null)
        {
            if (number is <= 0 or > int.MaxValue) return PullRequestRouteDecision.Ignore("no pull request number");
            if (!IssueKey.TryParse($"{Delivery.Repository!.FullName}#{number}", out var key)) return PullRequestRouteDecision.Ignore("unreadable repository name");
            var signal = new PullRequestSignal((int)number, headSha, feedbackId, autofixOn, checks, conclusion);
            var command = new IssueCommand(kind, source, Delivery.Sender!.Login, DeliveryId, Issue: null, instructions, commentId,
                Delivery.Installation?.Id, model, signal);
            return PullRequestRouteDecision.For(key, command, alsoOn);
        }
    }
}

/// <summary>
/// A <c>/agent</c> comment on a pull request: what it asks, the instructions it gives, the model its <c>--model</c>
/// named, and for <see cref="CommandKind.Autofix"/> whether autofix goes on.
/// </summary>
public sealed record ParsedPullRequestComment(CommandKind Kind, string? Instructions, string? Model = null, bool? AutofixOn = null);
