using System.Net;
using System.Text.Json.Nodes;
using SandboxAgents.Gateway.Api;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

[Collection(LocalServiceCollection.Name)]
public sealed class OperatorApiTests(LocalServiceFixture service)
{
    private const string Repository = ServiceFixture.Repository;

    private Task<HttpResponseMessage> LabelAsync(int number, string title)
    {
        var payload = Payloads.For("issues.labeled", Repository, number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        return service.SendWebhookAsync("issues", payload);
    }

    private async Task<JsonObject> GetJsonAsync(string path)
    {
        var response = await service.Http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task Start_ExistingIssue_ReadsItFromGitHub_AndRuns()
    {
        service.GitHub.Issues[$"{Repository}#301"] = ("Started from a script [nochange]", "Body from GitHub");

        var response = await service.OperatorPostAsync("/api/tasks", new StartRunRequest(Repository, 301, "Keep it short"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/tasks/{Repository}/301", response.Headers.Location?.OriginalString);
        var done = await service.WaitForStateAsync(301, "NoChanges");
        Assert.Equal("Api", done["history"]![0]!["source"]!.GetValue<string>());
        Assert.Equal("operator", done["history"]![0]!["requestedBy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("not-a-repository", 1)]
    [InlineData("octo/widgets", 0)]
    public async Task Start_BadRequest_Is400(string? repository, int issue)
    {
        var response = await service.OperatorPostAsync("/api/tasks", new StartRunRequest(repository, issue, null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Start_BadModelName_Is400_AndStartsNothing()
    {
        var response = await service.OperatorPostAsync("/api/tasks", new StartRunRequest(Repository, 309, null, "opus; rm -rf /"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("a model name may hold only", await response.Content.ReadAsStringAsync());
        Assert.Null(await service.GetTaskAsync(309));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized)]
    public async Task Writes_WithoutTheRightKey_AreRefused(string? key, HttpStatusCode expected)
    {
        // The fixture's client sends the key by default: a request without one goes through a client of its own.
        using var anonymous = service.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        Task<HttpResponseMessage> PostAsync(string path, object? body = null) => key is null
            ? anonymous.PostAsync(new Uri(path, UriKind.Relative), body is null ? null : System.Net.Http.Json.JsonContent.Create(body))
            : service.OperatorPostAsync(path, body, key);

        var cancel = await PostAsync($"/api/tasks/{Repository}/302/cancel");
        var retry = await PostAsync($"/api/tasks/{Repository}/302/retry");
        var start = await PostAsync("/api/tasks", new StartRunRequest(Repository, 302, null));

        Assert.Equal((expected, expected, expected), (cancel.StatusCode, retry.StatusCode, start.StatusCode));
        Assert.Null(await service.GetTaskAsync(302));
    }

    [Fact]
    public async Task Cancel_WhenIdle_Is409()
    {
        await LabelAsync(303, "Quick [nochange]");
        await service.WaitForStateAsync(303, "NoChanges");

        var response = await service.OperatorPostAsync($"/api/tasks/{Repository}/303/cancel");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task CancelAndRetry_ThroughTheApi_RetryReadsTheIssueAgain()
    {
        service.GitHub.Issues[$"{Repository}#304"] = ("Edited since [nochange]", "The retry reads this");
        await LabelAsync(304, "Slow [sleep 7304]");
        await service.WaitForStateAsync(304, "Running");

        var retryWhileRunning = await service.OperatorPostAsync($"/api/tasks/{Repository}/304/retry");
        var cancel = await service.OperatorPostAsync($"/api/tasks/{Repository}/304/cancel");
        var cancelled = await service.WaitForStateAsync(304, "Cancelled");
        var retry = await service.OperatorPostAsync($"/api/tasks/{Repository}/304/retry");
        var second = await service.WaitForStateAsync(304, "NoChanges");

        Assert.Equal(HttpStatusCode.Conflict, retryWhileRunning.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Contains("@operator (operator API)", cancelled["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(2, second["history"]!.AsArray().Count);
        Assert.NotEqual(cancelled["runId"]!.GetValue<string>(), second["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retry_NeverRun_Is404_UnknownIssue_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await service.OperatorPostAsync($"/api/tasks/{Repository}/305/retry")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetAsync(new Uri($"/api/tasks/{Repository}/305", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task List_NewestFirst_FiltersByStateAndRepository()
    {
        await LabelAsync(306, "First [nochange]");
        await service.WaitForStateAsync(306, "NoChanges");
        await LabelAsync(307, "Second [fail]");
        await service.WaitForStateAsync(307, "Failed");

        var all = await Eventually.MatchesAsync(() => GetJsonAsync("/api/tasks?pageSize=200"),
            p => p["items"]!.AsArray().Any(i => i!["number"]!.GetValue<int>() == 307 && i["state"]!.GetValue<string>() == "Failed"), "the registry has both");
        var numbers = all["items"]!.AsArray().Select(i => i!["number"]!.GetValue<int>()).ToList();
        Assert.True(numbers.IndexOf(307) < numbers.IndexOf(306), "newest first");

        var failed = await GetJsonAsync("/api/tasks?state=Failed");
        Assert.All(failed["items"]!.AsArray(), i => Assert.Equal("Failed", i!["state"]!.GetValue<string>()));
        Assert.Contains(failed["items"]!.AsArray(), i => i!["number"]!.GetValue<int>() == 307);

        Assert.Empty((await GetJsonAsync("/api/tasks?repository=someone/else"))["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Http.GetAsync(new Uri("/api/tasks?state=Sleeping", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Snapshot_CarriesTheLogTail()
    {
        await LabelAsync(308, "Slow [sleep 7308]");
        var running = await Eventually.MatchesAsync(() => service.GetTaskAsync(308),
            t => t?["logTail"]?.AsArray().Any(l => l!.GetValue<string>().Contains("working for a long time", StringComparison.Ordinal)) == true, "the agent's output in the tail");

        Assert.Equal("Running", running!["state"]!.GetValue<string>());
        await service.OperatorPostAsync($"/api/tasks/{Repository}/308/cancel");
        await service.WaitForStateAsync(308, "Cancelled");
    }

    [Theory]
    [InlineData("   \n ")]
    [InlineData(null)]
    [InlineData("overlong")]
    public async Task Message_BlankMissingOrOverlongText_Is400(string? text)
    {
        var body = new MessageRequest(text == "overlong" ? new string('m', IssueText.MaxBodyLength + 1) : text);

        var response = await service.OperatorPostAsync($"/api/tasks/{Repository}/310/messages", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await service.GetTaskAsync(310));
    }

    [Fact]
    public async Task Message_NoActiveRun_Is409()
    {
        var response = await service.OperatorPostAsync($"/api/tasks/{Repository}/311/messages", new MessageRequest("Also update the docs"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("has no active run to steer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_ToTheActiveRun_Is202_WithTheSnapshot()
    {
        await LabelAsync(312, "Slow [sleep 7312]");
        await service.WaitForStateAsync(312, "Running");

        var response = await service.OperatorPostAsync($"/api/tasks/{Repository}/312/messages", new MessageRequest("Also update the docs"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/tasks/{Repository}/312", response.Headers.Location?.OriginalString);
        var snapshot = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Running", snapshot["state"]!.GetValue<string>());
        await service.OperatorPostAsync($"/api/tasks/{Repository}/312/cancel");
        await service.WaitForStateAsync(312, "Cancelled");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Message_WithoutTheRightKey_Is401_AndStartsNothing(string? key)
    {
        using var anonymous = service.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        var path = $"/api/tasks/{Repository}/313/messages";
        var body = new MessageRequest("Steer it");

        var response = key is null
            ? await anonymous.PostAsync(new Uri(path, UriKind.Relative), System.Net.Http.Json.JsonContent.Create(body))
            : await service.OperatorPostAsync(path, body, key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await service.GetTaskAsync(313));
    }
}
