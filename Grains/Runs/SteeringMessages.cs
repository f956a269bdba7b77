using System.Text;
using Microsoft.Extensions.Logging;
using SandboxAgents.Runner;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs;

/// <summary>
/// Instructions sent to an active run (<c>/agent &lt;text&gt;</c>, or the API's messages route). The grain takes them
/// into the run's record; while the runner runs they go into the sandbox as <c>.agent-run/messages/NN</c>, which the
/// runner gives the agent by resuming its session once its current invocation ends. One that reaches the sandbox after
/// the runner has finished starts the runner again in its resume mode, before anything is published; one that comes
/// after the agent's work was pushed is marked late and the status comment says so.
/// </summary>
public sealed partial class SteeringMessages(ISandboxProvider sandboxes, RunnerLauncher launcher)
{
    /// <summary>Messages kept per run; later ones are refused in the log (a run is not a chat).</summary>
    public const int MaxMessages = 20;

    public static void Take(RunContext context, RunRecord run, IssueCommand command)
    {
        if (run.Messages.Count >= MaxMessages)
        {
            LogTooMany(context.Logger, context.Issue, run.RunId, command.Actor);
            return;
        }

        var late = run.State == RunState.Publishing && run.CommitSha is not null;
        var text = IssueText.Cap(command.Instructions, IssueText.MaxBodyLength);
        run.Messages.Add(new SteeringMessage(command.Actor, context.Now, text, Late: late));
        run.Changed();
        context.Changed();
        LogTaken(context.Logger, context.Issue, run.RunId, command.Actor, late);
    }

    /// <summary>Uploads the messages the sandbox does not hold yet; each is counted as sent once its file is there.</summary>
    public async Task SendAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        if (run.SandboxId is not { } sandbox) return;
        while (run.MessagesSent < run.Messages.Count && !run.Messages[run.MessagesSent].Late)
        {
            var message = run.Messages[run.MessagesSent];
            await sandboxes.UploadAsync(sandbox, RunnerFiles.MessageFile(run.MessagesSent), Encoding.UTF8.GetBytes(TaskDocument.ComposeMessage(message)), cancellationToken);
            run.MessagesSent++;
            context.Changed();
        }
    }

    /// <summary>Notes which messages the runner says it delivered; true when some it has not delivered are still to go.</summary>
    public static bool Delivered(RunContext context, RunRecord run, int delivered)
    {
        for (var i = 0; i < Math.Min(delivered, run.Messages.Count); i++)
        {
            if (run.Messages[i].DeliveredAt is not null) continue;
            run.Messages[i] = run.Messages[i] with { DeliveredAt = context.Now };
            run.Changed();
            context.Changed();
        }

        return run.Messages.Skip(delivered).Any(m => !m.Late);
    }

    /// <summary>Starts the runner again in the sandbox, in its resume mode, with the messages it has not delivered.</summary>
    public async Task ResumeAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        await SendAsync(context, run, cancellationToken);
        run.CommandId = await launcher.ResumeAsync(run, run.SandboxId!, cancellationToken);
        run.Resumes++;
        run.TranscriptKept = false;
        var waiting = run.Messages.Count(m => m.DeliveredAt is null && !m.Late);
        await context.TransitionAsync(run, RunState.Running, $"resuming the agent's session for {waiting} message{(waiting == 1 ? "" : "s")} that came after it ended");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: run {RunId} took a message from @{Actor} (late: {Late})")]
    private static partial void LogTaken(ILogger logger, IssueKey issue, string runId, string actor, bool late);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} already holds the most messages a run takes; @{Actor}'s is dropped")]
    private static partial void LogTooMany(ILogger logger, IssueKey issue, string runId, string actor);
}
