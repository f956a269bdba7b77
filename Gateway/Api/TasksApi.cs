using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace SandboxAgents.Gateway.Api;

/// <summary>
/// The operator API: list and read runs (the key or a session, or anyone with <c>Api:PublicReads</c>); cancel, retry,
/// start and steer them (the key, or the dashboard's session).
/// </summary>
public static class TasksApi
{
    private const string Operator = "operator";

    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tasks").WithTags("Tasks");
        var reads = group.MapGroup("/").RequireOperator(OperatorAccess.Read);
        reads.MapGet("/", ListAsync).WithSummary("Runs, newest first; filter by state and repository.");
        reads.MapGet("/{owner}/{repo}/{number}", GetIssueAsync).WithSummary("One issue's current run and history.");

        var operators = group.MapGroup("/").RequireOperator(OperatorAccess.Operator);
        operators.MapGet("/{owner}/{repo}/{number}/runs/{runId}/transcript", GetTranscriptAsync)
            .WithSummary("A run's redacted transcript (the agent's stream-json output), while it is kept.");

        var writes = group.MapGroup("/").RequireOperator(OperatorAccess.Write);
        writes.MapPost("/", StartAsync).WithSummary("Start a run for an existing issue.");
        writes.MapPost("/{owner}/{repo}/{number}/cancel", CancelAsync).WithSummary("Cancel the issue's active run.");
        writes.MapPost("/{owner}/{repo}/{number}/retry", RetryAsync).WithSummary("Start a new run after the last one ended.");
        writes.MapPost("/{owner}/{repo}/{number}/messages", MessageAsync).WithSummary("Steer the active run: more instructions, given to the agent when its current invocation ends.");
        return group;
    }

    public static async Task<Results<Ok<RunPage>, ProblemHttpResult>> ListAsync(
        IGrainFactory grains, string? state = null, string? repository = null, int page = 1, int pageSize = 50)
    {
        RunState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<RunState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return TypedResults.Problem($"'{state}' is not a run state ({string.Join(", ", Enum.GetNames<RunState>())}).", statusCode: StatusCodes.Status400BadRequest);
            wanted = parsed;
        }

        if (page < 1 || pageSize is < 1 or > 200)
            return TypedResults.Problem("page starts at 1 and pageSize is between 1 and 200.", statusCode: StatusCodes.Status400BadRequest);
        return TypedResults.Ok(await Registry(grains).GetPageAsync(new RunQuery(wanted, repository?.ToLowerInvariant(), page, pageSize)));
    }

    public static async Task<Results<Ok<IssueSnapshot>, ProblemHttpResult>> GetIssueAsync(string owner, string repo, string number, IGrainFactory grains)
    {
        if (Parse(owner, repo, number) is not { } key) return NotAnIssue(owner, repo, number);
        var snapshot = await Issue(grains, key).GetSnapshotAsync();
        return snapshot.History.Count == 0 && snapshot.PendingCommands == 0
            ? TypedResults.Problem($"No run was ever requested for {key}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(snapshot);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTranscriptAsync(
        string owner, string repo, string number, string runId, [FromServices] ITranscriptStore transcripts, CancellationToken cancellationToken)
    {
        if (Parse(owner, repo, number) is not { } key) return NotAnIssue(owner, repo, number);
        return TranscriptNames.IsRunId(runId) && await transcripts.ReadAsync(key, runId, cancellationToken) is { } transcript
            ? TypedResults.Bytes(transcript, "application/x-ndjson")
            : Problem(StatusCodes.Status404NotFound, $"No transcript of run '{runId}' of {key} is kept (never kept, or past Runs:TranscriptRetention).");
    }

    public static Task<Results<Accepted<IssueSnapshot>, ProblemHttpResult>> CancelAsync(string owner, string repo, string number, IGrainFactory grains, HttpRequest http) =>
        SubmitAsync(grains, Parse(owner, repo, number), CommandKind.Cancel, SourceOf(http), instructions: null, () => NotAnIssue(owner, repo, number));

    public static Task<Results<Accepted<IssueSnapshot>, ProblemHttpResult>> RetryAsync(string owner, string repo, string number, IGrainFactory grains, HttpRequest http) =>
        SubmitAsync(grains, Parse(owner, repo, number), CommandKind.Retry, SourceOf(http), instructions: null, () => NotAnIssue(owner, repo, number));

    public static async Task<Results<Accepted<IssueSnapshot>, ProblemHttpResult>> MessageAsync(
        string owner, string repo, string number, MessageRequest request, IGrainFactory grains, HttpRequest http)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > IssueText.MaxBodyLength)
            return Problem(StatusCodes.Status400BadRequest, $"Give 'text': the message for the run, not blank and at most {IssueText.MaxBodyLength} characters.");
        return await SubmitAsync(grains, Parse(owner, repo, number), CommandKind.Message, SourceOf(http), request.Text, () => NotAnIssue(owner, repo, number));
    }

    public static async Task<Results<Accepted<IssueSnapshot>, ProblemHttpResult>> StartAsync(StartRunRequest request, IGrainFactory grains)
    {
        if (request.Model is { } model && ModelName.Problem(model) is { } wrong) return Problem(StatusCodes.Status400BadRequest, $"'model': {wrong}.");
        return await SubmitAsync(grains, request.Repository?.Split('/') is [var owner, var repo] ? Parse(owner, repo, request.Issue.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null,
            CommandKind.Run, CommandSource.Api, request.Instructions,
            () => TypedResults.Problem("Give 'repository' as owner/repo and 'issue' as a positive issue number.", statusCode: StatusCodes.Status400BadRequest),
            request.Model);
    }

    /// <summary>One grain call: the grain judges the command, and its answer is the response.</summary>
    private static async Task<Results<Accepted<IssueSnapshot>, ProblemHttpResult>> SubmitAsync(
        IGrainFactory grains, IssueKey? issue, CommandKind kind, CommandSource source, string? instructions, Func<ProblemHttpResult> badRequest, string? model = null)
    {
        if (issue is not { } key) return badRequest();
        var answer = await Issue(grains, key).SubmitAsync(new IssueCommand(kind, source, Operator, DeliveryId: null, Issue: null, instructions, Model: model));
        var snapshot = answer.Issue;
        return answer.Outcome switch
        {
            SubmitOutcome.Accepted => TypedResults.Accepted(Location(key), snapshot),
            SubmitOutcome.NoActiveRun => Problem(StatusCodes.Status409Conflict,
                $"{key} has no active run to {(kind == CommandKind.Message ? "steer" : "cancel")} (its state is {snapshot.State})."),
            SubmitOutcome.RunAlreadyActive => Problem(StatusCodes.Status409Conflict, $"{key} already has an active run ({snapshot.RunId}, {snapshot.State})."),
            SubmitOutcome.NothingToRetry => Problem(StatusCodes.Status404NotFound, $"{key} never had a run to retry; start one with POST /api/tasks."),
            var other => Problem(StatusCodes.Status409Conflict, $"{key}: the command was not taken ({other})."),
        };
    }

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    /// <summary>The dashboard says so when it is the one asking, so that the issue can tell people where a cancel came from.</summary>
    private static CommandSource SourceOf(HttpRequest request) => OperatorRules.IsFromDashboard(request) ? CommandSource.Dashboard : CommandSource.Api;

    private static IssueKey? Parse(string owner, string repo, string number) =>
        IssueKey.TryParse($"{owner}/{repo}#{number}", out var key) ? key : null;

    private static ProblemHttpResult NotAnIssue(string owner, string repo, string number) =>
        TypedResults.Problem($"'{owner}/{repo}#{number}' does not name an issue of a GitHub repository.", statusCode: StatusCodes.Status400BadRequest);

    private static string Location(IssueKey key) => $"/api/tasks/{key.Owner}/{key.Repository}/{key.Number}";

    private static ISandboxGrain Issue(IGrainFactory grains, IssueKey key) => grains.GetGrain<ISandboxGrain>(key.ToString());

    private static IRunRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IRunRegistryGrain>(0);
}
