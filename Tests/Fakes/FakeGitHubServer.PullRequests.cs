using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SandboxAgents.GitHub;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// A pull request's life after it is opened, with GitHub's shapes and status codes: reading and editing it
/// (<c>GET</c>/<c>PATCH /pulls/{n}</c>), its submitted reviews and its diff comments, and the Checks API's runs on a
/// commit with their annotations. Listings are oldest first and paged as GitHub pages them; a pull request, a check
/// run or a repository the fake does not hold is a 404.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _reviews = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _reviewComments = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, (string Repository, JsonObject Run, IReadOnlyList<CheckAnnotation> Annotations)> _checkRuns = new();

    /// <summary>
    /// The commit a branch points at when a pull request is opened from it (an end-to-end test can answer from its git);
    /// by default a sha made from the branch's name, so a pull request's head is a real-looking 40-hex commit.
    /// </summary>
    public Func<string, string, string?>? BranchHead { get; set; }

    /// <summary>The pull request as GET answers it, or null.</summary>
    public JsonObject? PullRequest(string repository, int number)
    {
        if (Pull(repository, number) is not { } pull) return null;
        lock (pull) return pull.DeepClone().AsObject();
    }

    /// <summary>Someone pushed <paramref name="sha"/> to the pull request's head branch.</summary>
    public void SetPullRequestHead(string repository, int number, string sha) => Change(repository, number, pull => pull["head"]!["sha"] = sha);

    /// <summary>Someone closed the pull request, merging it or not.</summary>
    public void ClosePullRequest(string repository, int number, bool merged) => Change(repository, number, pull =>
    {
        pull["state"] = "closed";
        pull["merged"] = merged;
        pull["closed_at"] = Stamp(Interlocked.Increment(ref _nextId));
        pull["merged_at"] = merged ? pull["closed_at"]!.DeepClone() : null;
    });

    /// <summary>
    /// A review submitted by <paramref name="login"/>; <paramref name="state"/> as the REST API spells it
    /// (<c>APPROVED</c>, <c>CHANGES_REQUESTED</c>, <c>COMMENTED</c>, <c>DISMISSED</c>, or <c>PENDING</c>, which GitHub
    /// lists to the review's author only and so never to the service).
    /// </summary>
    public long AddReview(string repository, int number, string login, string state, string? body, string? commitId, string type = "User")
    {
        var id = Interlocked.Increment(ref _nextId);
        var html = $"https://github.example/{repository}/pull/{number}";
        _reviews.GetOrAdd($"{repository}#{number}", _ => new()).Enqueue(new JsonObject
        {
            ["id"] = id, ["node_id"] = $"PRR_{id}", ["user"] = UserOfType(login, type), ["body"] = body ?? "", ["state"] = state,
            ["html_url"] = $"{html}#pullrequestreview-{id}", ["pull_request_url"] = PullUrl(repository, number),
            ["author_association"] = "COLLABORATOR", ["submitted_at"] = state == "PENDING" ? null : Stamp(id), ["commit_id"] = commitId,
            ["_links"] = new JsonObject { ["html"] = new JsonObject { ["href"] = $"{html}#pullrequestreview-{id}" }, ["pull_request"] = new JsonObject { ["href"] = PullUrl(repository, number) } },
        });
        return id;
    }

    /// <summary>A comment on line <paramref name="line"/> of <paramref name="path"/> in the diff, in a review or in reply to another comment.</summary>
    public long AddReviewComment(
        string repository, int number, string login, string path, int? line, string diffHunk, string body, long? reviewId,
        long? inReplyTo = null, string type = "User", string? commitId = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        commitId ??= Pull(repository, number)?["head"]?["sha"]?.GetValue<string>() ?? "";
        var html = $"https://github.example/{repository}/pull/{number}#discussion_r{id}";
        var comment = new JsonObject
        {
            ["url"] = $"{BaseUrl}api/v3/repos/{repository}/pulls/comments/{id}", ["id"] = id, ["node_id"] = $"PRRC_{id}",
            ["pull_request_review_id"] = reviewId, ["diff_hunk"] = diffHunk, ["path"] = path, ["position"] = line is null ? null : 1,
            ["original_position"] = 1, ["commit_id"] = commitId, ["original_commit_id"] = commitId, ["user"] = UserOfType(login, type),
            ["body"] = body, ["created_at"] = Stamp(id), ["updated_at"] = Stamp(id), ["html_url"] = html,
            ["pull_request_url"] = PullUrl(repository, number), ["author_association"] = "COLLABORATOR",
            ["start_line"] = null, ["original_start_line"] = null, ["start_side"] = null,
            ["line"] = line, ["original_line"] = line ?? 1, ["side"] = "RIGHT", ["subject_type"] = "line",
        };
        if (inReplyTo is { } replied) comment["in_reply_to_id"] = replied;
        _reviewComments.GetOrAdd($"{repository}#{number}", _ => new()).Enqueue(comment);
        return id;
    }

    /// <summary>
    /// A check run on <paramref name="sha"/> by the <c>github-actions</c> app: completed with <paramref name="conclusion"/>
    /// (<c>success</c>, <c>failure</c>, <c>neutral</c>, <c>cancelled</c>, <c>skipped</c>, <c>timed_out</c>,
    /// <c>action_required</c>, <c>startup_failure</c>), or in progress when it is null.
    /// </summary>
    public long AddCheckRun(
        string repository, string sha, string name, string? conclusion, string? title = null, string? summary = null, string? text = null,
        IReadOnlyList<CheckAnnotation>? annotations = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        annotations ??= [];
        var run = new JsonObject
        {
            ["id"] = id, ["node_id"] = $"CR_{id}", ["head_sha"] = sha, ["external_id"] = "", ["name"] = name,
            ["url"] = $"{BaseUrl}api/v3/repos/{repository}/check-runs/{id}", ["html_url"] = $"https://github.example/{repository}/runs/{id}",
            ["details_url"] = $"https://github.example/{repository}/actions/runs/{id}",
            ["status"] = conclusion is null ? "in_progress" : "completed", ["conclusion"] = conclusion,
            ["started_at"] = Stamp(id), ["completed_at"] = conclusion is null ? null : Stamp(id),
            ["output"] = new JsonObject
            {
                ["title"] = title, ["summary"] = summary, ["text"] = text, ["annotations_count"] = annotations.Count,
                ["annotations_url"] = $"{BaseUrl}api/v3/repos/{repository}/check-runs/{id}/annotations",
            },
            ["check_suite"] = new JsonObject { ["id"] = id + 1_000_000 },
            ["app"] = new JsonObject { ["id"] = 15368, ["slug"] = "github-actions", ["name"] = "GitHub Actions" },
            ["pull_requests"] = new JsonArray(),
        };
        _checkRuns[id] = (repository, run, annotations);
        return id;
    }

    private void MapPullRequests(RouteGroupBuilder api)
    {
        api.MapGet("/pulls/{number:int}", (string owner, string repo, int number) =>
            PullRequest($"{owner}/{repo}", number) is { } pull ? Results.Json(pull) : NotFound("pulls/pulls#get-a-pull-request"));
        api.MapMethods("/pulls/{number:int}", ["PATCH"], async (string owner, string repo, int number, HttpRequest request) =>
        {
            if (Pull($"{owner}/{repo}", number) is not { } pull) return NotFound("pulls/pulls#update-a-pull-request");
            var input = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            if (input["state"]?.GetValue<string>() is { } state && state is not ("open" or "closed"))
                return Results.Json(new { message = "Validation Failed", errors = new[] { new { resource = "PullRequest", field = "state", code = "invalid" } } }, statusCode: 422);
            lock (pull)
            {
                foreach (var field in new[] { "title", "body", "state" })
                {
                    if (input.ContainsKey(field)) pull[field] = input[field]?.DeepClone();
                }

                return Results.Json(pull.DeepClone());
            }
        });
        api.MapGet("/pulls/{number:int}/reviews", (string owner, string repo, int number, HttpContext context) =>
            Pull($"{owner}/{repo}", number) is null
                ? NotFound("pulls/reviews#list-reviews-for-a-pull-request")
                : Results.Json(new JsonArray(PageOf(context, [.. ListOf(_reviews, $"{owner}/{repo}#{number}").Where(r => r["state"]!.GetValue<string>() != "PENDING")]))));
        api.MapGet("/pulls/{number:int}/comments", (string owner, string repo, int number, HttpContext context) =>
            Pull($"{owner}/{repo}", number) is null
                ? NotFound("pulls/comments#list-review-comments-on-a-pull-request")
                : Results.Json(new JsonArray(PageOf(context, ListOf(_reviewComments, $"{owner}/{repo}#{number}")))));
        api.MapGet("/commits/{sha}/check-runs", (string owner, string repo, string sha, string? filter, string? check_name, string? status, HttpContext context) =>
        {
            var runs = _checkRuns.Values
                .Where(r => string.Equals(r.Repository, $"{owner}/{repo}", StringComparison.OrdinalIgnoreCase) && r.Run["head_sha"]!.GetValue<string>() == sha)
                .Select(r => r.Run)
                .Where(r => check_name is null || r["name"]!.GetValue<string>() == check_name)
                .Where(r => status is null || r["status"]!.GetValue<string>() == status);
            // filter=latest (the default) keeps the newest run of each name: a re-run hides the one it replaced.
            if (filter is not "all") runs = runs.GroupBy(r => r["name"]!.GetValue<string>()).Select(g => g.MaxBy(Id)!);
            List<JsonNode> all = [.. runs.OrderByDescending(Id)];
            return Results.Json(new JsonObject { ["total_count"] = all.Count, ["check_runs"] = new JsonArray(PageOf(context, all)) });
        });
        api.MapGet("/check-runs/{id:long}/annotations", (string owner, string repo, long id, HttpContext context) =>
            _checkRuns.TryGetValue(id, out var run) && string.Equals(run.Repository, $"{owner}/{repo}", StringComparison.OrdinalIgnoreCase)
                ? Results.Json(new JsonArray(PageOf(context, [.. run.Annotations.Select(Annotation)])))
                : NotFound("checks/runs#list-check-run-annotations"));
    }

    private static JsonNode Annotation(CheckAnnotation annotation) => new JsonObject
    {
        ["path"] = annotation.Path, ["blob_href"] = $"https://github.example/blob/{annotation.Path}",
        ["start_line"] = annotation.StartLine, ["end_line"] = annotation.EndLine, ["start_column"] = null, ["end_column"] = null,
        ["annotation_level"] = annotation.Level, ["title"] = annotation.Title, ["message"] = annotation.Message, ["raw_details"] = null,
    };

    /// <summary>The pull request's head commit when it is opened from <paramref name="branch"/>.</summary>
    private string HeadShaOf(string repository, string branch) =>
        BranchHead?.Invoke(repository, branch)
        ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{repository}:{branch}")))[..40];

    private JsonObject? Pull(string repository, int number) =>
        _pulls.TryGetValue(number, out var pull) && string.Equals(pull["base"]!["repo"]!["full_name"]!.GetValue<string>(), repository, StringComparison.OrdinalIgnoreCase)
            ? pull
            : null;

    private void Change(string repository, int number, Action<JsonObject> change)
    {
        var pull = Pull(repository, number) ?? throw new InvalidOperationException($"The fake holds no pull request {repository}#{number}.");
        lock (pull) change(pull);
    }

    private static List<JsonNode> ListOf(ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> store, string key) =>
        store.TryGetValue(key, out var items) ? [.. items] : [];

    private string PullUrl(string repository, int number) => $"{BaseUrl}api/v3/repos/{repository}/pulls/{number}";

    private static long Id(JsonNode run) => run["id"]!.GetValue<long>();

    /// <summary>A time that grows with the id, so what was added later was also made later.</summary>
    private static string Stamp(long id) =>
        new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero).AddSeconds(id - 5000).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static JsonObject UserOfType(string login, string type)
    {
        var user = User(login);
        user["type"] = type;
        return user;
    }

    private static IResult NotFound(string documentation) =>
        Results.Json(new { message = "Not Found", documentation_url = $"https://docs.github.com/rest/{documentation}", status = "404" }, statusCode: 404);
}
