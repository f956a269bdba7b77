using Octokit.Webhooks;
using Octokit.Webhooks.Events.IssueComment;
using Octokit.Webhooks.Events.Issues;
using Octokit.Webhooks.Models;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Maps a parsed delivery to a command, without side effects: the trigger label added starts a run; the label
/// removed or the issue closed cancels; a comment <c>/agent run|cancel|retry</c> does what it says, and
/// <c>/agent &lt;instructions&gt;</c> steers the active run. Bots (our own App,
/// <c>ownBotLogin</c>, whatever type the payload gives it, among them), pull request conversations (the
/// <see cref="PullRequestEventRouter"/>'s) and everything else are ignored. Whether the sender may command is the grain's check.
/// </summary>
public static class WebhookCommandRouter
{
    public static RouteDecision Route(WebhookEvent delivery, string? deliveryId, TriggerOptions triggers, string? ownBotLogin = null)
    {
        if (delivery.Sender is null) return RouteDecision.Ignore("no sender");
        if (CommandSenders.WhyIgnored(delivery.Sender, ownBotLogin) is { } bot) return RouteDecision.Ignore(bot);
        if (delivery.Repository is null) return RouteDecision.Ignore("no repository");

        return delivery switch
        {
            IssuesLabeledEvent e when IsTrigger(e.Label?.Name, triggers) =>
                Command(e, e.Issue, CommandKind.Run, CommandSource.Label, deliveryId),
            IssuesUnlabeledEvent e when IsTrigger(e.Label?.Name, triggers) =>
                Command(e, e.Issue, CommandKind.Cancel, CommandSource.LabelRemoved, deliveryId),
            IssuesClosedEvent e => Command(e, e.Issue, CommandKind.Cancel, CommandSource.IssueClosed, deliveryId),
            IssueCommentCreatedEvent e when e.Issue.PullRequest is not null => RouteDecision.Ignore("comment on a pull request"),
            IssueCommentCreatedEvent e => FromComment(e, deliveryId, triggers),
            _ => RouteDecision.Ignore($"{delivery.GetType().Name} is not a command"),
        };
    }

    /// <summary>
    /// Parses <c>{prefix} run|cancel|retry [--model name] [instructions]</c> at the very start of a comment; a bare
    /// prefix means run, and <c>{prefix} &lt;other text&gt;</c> is a message for the active run. The model is kept as written (capped): the grain refuses a name that is not allowed, and says why.
    /// </summary>
    public static ParsedComment? ParseComment(string? body, string prefix)
    {
        var text = (body ?? "").TrimStart();
        if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = text[prefix.Length..];
        if (rest.Length > 0 && !char.IsWhiteSpace(rest[0])) return null;

        var words = rest.TrimStart();
        // "/agent --model x ..." is a run too.
        var (verb, after) = ModelFlag(words) is null ? FirstWord(words) : ("run", words);
        CommandKind? kind = verb.ToLowerInvariant() switch
        {
            "" or "run" => CommandKind.Run,
            "cancel" or "stop" => CommandKind.Cancel,
            "retry" => CommandKind.Retry,
            _ => null,
        };
        // Anything else is instructions for the active run; with none active the grain says how to start one.
        if (kind is null) return new ParsedComment(CommandKind.Message, words);

        string? model = null;
        if (kind != CommandKind.Cancel && ModelFlag(after) is { } flag)
        {
            var (name, instructions) = FirstWord(after![flag..].TrimStart(' ', '\t', '='));
            (model, after) = (IssueText.Cap(name, ModelName.MaxLength + 1), instructions);
        }

        return new ParsedComment(kind.Value, string.IsNullOrEmpty(after) ? null : after, model);
    }

    /// <summary>The length of a leading <c>--model</c> flag (followed by a space or <c>=</c>), or null.</summary>
    private static int? ModelFlag(string? words)
    {
        const string flag = "--model";
        if (words is null || !words.StartsWith(flag, StringComparison.OrdinalIgnoreCase)) return null;
        return words.Length == flag.Length || words[flag.Length] is ' ' or '\t' or '=' or '\r' or '\n' ? flag.Length : null;
    }

    /// <summary>The first word of <paramref name="words"/>, and the rest trimmed (null when nothing is left).</summary>
    private static (string Word, string? Remainder) FirstWord(string words)
    {
        var end = words.IndexOfAny([' ', '\t', '\r', '\n']);
        return end < 0 ? (words, null) : (words[..end], words[end..].Trim());
    }

    private static RouteDecision FromComment(IssueCommentCreatedEvent e, string? deliveryId, TriggerOptions triggers)
    {
        if (ParseComment(e.Comment?.Body, triggers.Command) is not { } parsed)
            return RouteDecision.Ignore("comment is not a command");
        return Command(e, e.Issue, parsed.Kind, CommandSource.Comment, deliveryId, parsed.Instructions, e.Comment?.Id, parsed.Model);
    }

    private static RouteDecision Command(
        WebhookEvent e, Issue issue, CommandKind kind, CommandSource source, string? deliveryId, string? instructions = null, long? commentId = null, string? model = null)
    {
        if (issue.Number is <= 0 or > int.MaxValue) return RouteDecision.Ignore("no issue number");
        if (!IssueKey.TryParse($"{e.Repository!.FullName}#{issue.Number}", out var key)) return RouteDecision.Ignore("unreadable repository name");
        var text = IssueText.Capped(issue.Title, issue.Body);
        return RouteDecision.For(key, new IssueCommand(kind, source, e.Sender!.Login, deliveryId, text, instructions, commentId, e.Installation?.Id, model));
    }

    private static bool IsTrigger(string? label, TriggerOptions triggers) =>
        string.Equals(label, triggers.Label, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A comment's command: what it asks, the instructions after it, and the model its <c>--model</c> named.</summary>
public sealed record ParsedComment(CommandKind Kind, string? Instructions, string? Model = null);
