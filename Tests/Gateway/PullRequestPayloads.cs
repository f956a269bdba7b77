using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

/// <summary>Real pull request, review and check payloads (Tests/Payloads), moved to a repository and sender of the case's choosing.</summary>
public static class PullRequestPayloads
{
    /// <summary>The id every payload's repository gets, so that a check's pull requests can be told to be in it or elsewhere.</summary>
    public const long RepositoryId = 186853002;

    public static JsonObject For(string name, string repository = "Octo-Org/Widgets", string sender = "Alice", string senderType = "User", long? installation = null)
    {
        var payload = Payloads.Load(name);
        var (owner, repo) = (repository.Split('/')[0], repository.Split('/')[1]);
        payload["repository"]!["id"] = RepositoryId;
        payload["repository"]!["full_name"] = repository;
        payload["repository"]!["name"] = repo;
        payload["repository"]!["owner"]!["login"] = owner;
        payload["sender"]!["login"] = sender;
        payload["sender"]!["type"] = senderType;
        if (installation is { } id) payload["installation"] = new JsonObject { ["id"] = id, ["node_id"] = "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
        return payload;
    }

    /// <summary>One entry of a check suite's or workflow run's <c>pull_requests</c>, based in the repository with <paramref name="baseRepositoryId"/>.</summary>
    public static JsonObject PullRequestRef(int number, long baseRepositoryId = RepositoryId, string sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821")
    {
        JsonObject Repo(long id) => new() { ["id"] = id, ["url"] = $"https://api.github.com/repositories/{id}", ["name"] = "widgets" };
        return new JsonObject
        {
            ["url"] = $"https://api.github.com/repos/octo-org/widgets/pulls/{number}",
            ["id"] = 279147437 + number,
            ["number"] = number,
            ["head"] = new JsonObject { ["ref"] = $"agent/issue-{number}", ["sha"] = sha, ["repo"] = Repo(RepositoryId) },
            ["base"] = new JsonObject { ["ref"] = "main", ["sha"] = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", ["repo"] = Repo(baseRepositoryId) },
        };
    }

    /// <summary>A <c>pull_request_review</c> <c>submitted</c> on the pull request with the review GitHub holds as <paramref name="reviewId"/>.</summary>
    public static JsonObject Review(string repository, int pullRequest, string branch, long reviewId, string body, string state = "changes_requested", string sender = "maintainer")
    {
        var payload = For("pull_request_review.submitted", repository, sender);
        payload["pull_request"]!["number"] = pullRequest;
        payload["pull_request"]!["head"]!["ref"] = branch;
        payload["review"]!["id"] = reviewId;
        payload["review"]!["state"] = state;
        payload["review"]!["body"] = body;
        payload["review"]!["user"]!["login"] = sender;
        return payload;
    }
}
