using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using SandboxAgents.Gateway.Api;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The routes every browser may fetch, and those the dashboard's reads use.</summary>
internal static class OperatorRoutes
{
    public static readonly string[] Reads =
        ["/api/tasks", "/api/tasks/octo/widgets/1", "/api/tasks/events", "/openapi/v1.json", "/api/reference", "/api/reference/"];

    public static readonly string[] Writes =
        ["/api/tasks/octo/widgets/1/cancel", "/api/tasks/octo/widgets/1/retry", "/api/tasks/octo/widgets/1/messages", "/api/tasks"];

    public static readonly string[] Open = ["/", "/dashboard.css", "/dashboard.js", "/healthz", "/api/session"];

    /// <summary>GET without waiting for the body (the event stream has no end).</summary>
    public static Task<HttpResponseMessage> GetAsync(HttpClient http, string path) =>
        http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = System.Net.Http.Json.JsonContent.Create(new { repository = "octo/widgets", issue = 1 }) };
        configure?.Invoke(request);
        return http.SendAsync(request);
    }

    public static async Task<string?> ProblemDetailAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?["detail"]?.GetValue<string>();
}

public sealed class OperatorSettingsNoKeyTests(NoOperatorKeyFixture service) : IClassFixture<NoOperatorKeyFixture>
{
    [Fact]
    public async Task Reads_WithoutApiKey_Are403_SayingHowToEnableThem()
    {
        using var http = service.Anonymous();
        foreach (var path in OperatorRoutes.Reads)
        {
            using var response = await OperatorRoutes.GetAsync(http, path);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {response.StatusCode}");
            var detail = await OperatorRoutes.ProblemDetailAsync(response);
            Assert.Contains("Api:Key", detail, StringComparison.Ordinal);
            Assert.Contains("Api:PublicReads=true", detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Writes_SignIn_AndTheOrleansDashboard_WithoutApiKey_Are403()
    {
        using var http = service.Anonymous();
        foreach (var path in OperatorRoutes.Writes)
            Assert.Equal(HttpStatusCode.Forbidden, (await OperatorRoutes.PostAsync(http, path, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ""))).StatusCode);

        var signIn = await http.PostAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative), new FormUrlEncodedContent([new("key", "")]));
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.False(signIn.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri("/orleans/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task DashboardPage_ItsFiles_Health_AndSessionStatus_StayOpen()
    {
        using var http = service.Anonymous();
        foreach (var path in OperatorRoutes.Open)
            Assert.True((await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode == HttpStatusCode.OK, path);

        var status = JsonNode.Parse(await http.GetStringAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative)))!;
        Assert.False(status["keyConfigured"]!.GetValue<bool>());
        Assert.False(status["publicReads"]!.GetValue<bool>());
    }
}

public sealed class OperatorSettingsPublicReadsTests(PublicReadsFixture service) : IClassFixture<PublicReadsFixture>
{
    [Fact]
    public async Task Reads_AreOpen()
    {
        using var http = service.Anonymous();
        foreach (var path in OperatorRoutes.Reads.Where(p => !p.EndsWith("/1", StringComparison.Ordinal) && p != "/api/reference"))
        {
            using var response = await OperatorRoutes.GetAsync(http, path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }

        Assert.Equal("reference/", (await OperatorRoutes.GetAsync(http, "/api/reference")).Headers.Location?.OriginalString);

        Assert.Equal(HttpStatusCode.NotFound, (await OperatorRoutes.GetAsync(http, "/api/tasks/octo/widgets/1")).StatusCode);
    }

    [Fact]
    public async Task Writes_AndTheOrleansDashboard_StillNeedTheKey()
    {
        using var http = service.Anonymous();
        foreach (var path in OperatorRoutes.Writes)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await OperatorRoutes.PostAsync(http, path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await OperatorRoutes.PostAsync(http, path, r => r.Headers.Add("X-Requested-From", "dashboard"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/orleans/DashboardCounters", UriKind.Relative))).StatusCode);
        var withKey = await OperatorRoutes.PostAsync(http, "/api/tasks/octo/widgets/1/retry", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PublicReadsFixture.Key));
        Assert.Equal(HttpStatusCode.NotFound, withKey.StatusCode);
    }
}
