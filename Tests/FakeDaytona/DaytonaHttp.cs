using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.FakeDaytona;

/// <summary>Raw HTTP against the fake, as a client would speak it: Bearer key, JSON bodies, absolute URLs.</summary>
internal sealed class DaytonaHttp : IDisposable
{
    private readonly FakeDaytonaServer _server;
    private readonly HttpClient _http = new();

    public DaytonaHttp(FakeDaytonaServer server)
    {
        _server = server;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FakeDaytonaServer.ApiKey);
    }

    public string Api(string path) => $"{_server.ApiUrl}/{path}";

    public string Toolbox(string sandboxId, string path) => $"{_server.ToolboxProxyUrl}/{sandboxId}/{path}";

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, JsonNode? body = null, string? sdkVersion = null) =>
        SendAsync(new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) }, sdkVersion);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? sdkVersion = null)
    {
        if (sdkVersion is not null) request.Headers.Add("X-Daytona-SDK-Version", sdkVersion);
        return _http.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync()))!.AsObject();

    public async Task<JsonObject> CreateAsync(JsonObject? body = null)
    {
        using var response = await SendAsync(HttpMethod.Post, Api("sandbox"), body ?? []);
        Assert.Equal(200, (int)response.StatusCode);
        return await JsonAsync(response);
    }

    public async Task<JsonObject> GetAsync(string idOrName)
    {
        using var response = await SendAsync(HttpMethod.Get, Api($"sandbox/{idOrName}"));
        Assert.Equal(200, (int)response.StatusCode);
        return await JsonAsync(response);
    }

    /// <summary>Creates a sandbox and polls it to <c>started</c>, as the SDKs do; the fake needs a fixed number of GETs.</summary>
    public async Task<string> StartedSandboxAsync(JsonObject? body = null)
    {
        var id = (await CreateAsync(body))["id"]!.GetValue<string>();
        for (var poll = 0; poll < 10; poll++)
        {
            if ((await GetAsync(id))["state"]!.GetValue<string>() == SandboxStates.Started) return id;
        }

        throw new InvalidOperationException($"sandbox {id} did not start within 10 polls");
    }

    public void Dispose() => _http.Dispose();
}
