using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

[Collection(LocalServiceCollection.Name)]
public sealed class RunEventsTests(LocalServiceFixture service)
{
    [Fact]
    public async Task EventStream_ShowsARunMovingThroughItsStates()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tasks/events");
        using var response = await service.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": connected", await reader.ReadLineAsync(timeout.Token));

        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, 401, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = "Watched live [nochange]";
        await service.SendWebhookAsync("issues", payload);

        var states = new List<string>();
        while (!states.Contains("NoChanges"))
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || !line.Contains("\"number\":401", StringComparison.Ordinal)) continue;
            states.Add(System.Text.Json.Nodes.JsonNode.Parse(line["data: ".Length..])!["state"]!.GetValue<string>());
        }

        Assert.Equal("Queued", states[0]);
        Assert.Equal("NoChanges", states[^1]);
    }
}
