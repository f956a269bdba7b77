using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SandboxAgents.Gateway.Api;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The operator key configured (the fixture's): reads and writes need it, given as a bearer or through a session.</summary>
[Collection(LocalServiceCollection.Name)]
public sealed class OperatorSessionTests(LocalServiceFixture service)
{
    private const string Cookie = OperatorSessionTokens.CookieName;

    private HttpClient Anonymous() => service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static HttpRequestMessage WithCookie(HttpMethod method, string path, string value, bool fromDashboard = false)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"{Cookie}={value}");
        if (fromDashboard) request.Headers.Add("X-Requested-From", "dashboard");
        return request;
    }

    private static async Task<(string Value, string SetCookie)> SignInAsync(HttpClient http)
    {
        var response = await http.PostAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative), new FormUrlEncodedContent([new("key", ServiceFixture.OperatorKey)]));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(Cookie + "=", StringComparison.Ordinal));
        return (setCookie[(Cookie.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)], setCookie);
    }

    [Fact]
    public async Task Reads_WithoutTheKey_Are401()
    {
        using var http = Anonymous();
        foreach (var path in OperatorRoutes.Reads)
        {
            using var response = await OperatorRoutes.GetAsync(http, path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var wrong = Anonymous();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await OperatorRoutes.GetAsync(wrong, "/api/tasks")).StatusCode);
    }

    [Fact]
    public async Task DashboardPage_ItsFiles_AndHealth_StayOpen()
    {
        using var http = Anonymous();
        foreach (var path in OperatorRoutes.Open)
            Assert.True((await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode == HttpStatusCode.OK, path);
    }

    [Fact]
    public async Task SignIn_SetsAStrictHttpOnlyCookie_ThatIsNotTheKey()
    {
        using var http = Anonymous();
        var (value, setCookie) = await SignInAsync(http);

        Assert.DoesNotContain(ServiceFixture.OperatorKey, Uri.UnescapeDataString(value), StringComparison.Ordinal);
        Assert.DoesNotContain(ServiceFixture.OperatorKey, setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/;", setCookie + ";", StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_FromAForm_SeesOtherToALocalReturnUrlOnly()
    {
        using var http = Anonymous();
        var local = await http.PostAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative),
            new FormUrlEncodedContent([new("key", ServiceFixture.OperatorKey), new("returnUrl", "/?issue=octo%2Fwidgets%231")]));
        var elsewhere = await http.PostAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative),
            new FormUrlEncodedContent([new("key", ServiceFixture.OperatorKey), new("returnUrl", "//evil.example/")]));

        Assert.Equal(HttpStatusCode.SeeOther, local.StatusCode);
        Assert.Equal("/?issue=octo%2Fwidgets%231", local.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NoContent, elsewhere.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithTheWrongKey_Is401_AndSetsNoCookie()
    {
        using var http = Anonymous();
        var response = await http.PostAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative), new FormUrlEncodedContent([new("key", "wrong-key")]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SessionCookie_OpensReads_AndTheEventStream()
    {
        using var http = Anonymous();
        var (value, _) = await SignInAsync(http);

        using var list = await http.SendAsync(WithCookie(HttpMethod.Get, "/api/tasks", value));
        using var events = await http.SendAsync(WithCookie(HttpMethod.Get, "/api/tasks/events", value), HttpCompletionOption.ResponseHeadersRead);
        using var document = await http.SendAsync(WithCookie(HttpMethod.Get, "/openapi/v1.json", value));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    [Fact]
    public async Task SessionCookie_Writes_OnlyWithTheDashboardHeader()
    {
        using var http = Anonymous();
        var (value, _) = await SignInAsync(http);
        const string retry = $"/api/tasks/{ServiceFixture.Repository}/351/retry";

        var withoutHeader = await http.SendAsync(WithCookie(HttpMethod.Post, retry, value));
        var cancelWithoutHeader = await http.SendAsync(WithCookie(HttpMethod.Post, $"/api/tasks/{ServiceFixture.Repository}/351/cancel", value));
        var withHeader = await http.SendAsync(WithCookie(HttpMethod.Post, retry, value, fromDashboard: true));

        Assert.Equal(HttpStatusCode.Forbidden, withoutHeader.StatusCode);
        Assert.Contains("X-Requested-From", await OperatorRoutes.ProblemDetailAsync(withoutHeader), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, cancelWithoutHeader.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withHeader.StatusCode);  // through the door: the issue never ran
    }

    [Fact]
    public async Task ForgedExpiredOrOldKeyCookies_AndTheKeyAsACookie_AreRefused()
    {
        using var http = Anonymous();
        var (value, _) = await SignInAsync(http);
        var parts = value.Split('.');
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(2));
        var cookies = new Dictionary<string, string>
        {
            ["forged expiry"] = $"{parts[0]}.{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}.{parts[2]}.{parts[3]}",
            ["made up"] = "v1.9999999999.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            ["expired"] = Tokens(ServiceFixture.OperatorKey, past).Issue()!.Value.Token,
            ["signed with an old key"] = Tokens("the-key-before-rotation", TimeProvider.System).Issue()!.Value.Token,
            ["the key itself"] = ServiceFixture.OperatorKey,
        };

        foreach (var (name, cookie) in cookies)
        {
            Assert.True((await http.SendAsync(WithCookie(HttpMethod.Get, "/api/tasks", cookie))).StatusCode == HttpStatusCode.Unauthorized, name);
            Assert.True((await http.SendAsync(WithCookie(HttpMethod.Post, $"/api/tasks/{ServiceFixture.Repository}/352/retry", cookie, fromDashboard: true))).StatusCode == HttpStatusCode.Unauthorized, name);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(WithCookie(HttpMethod.Get, "/api/tasks", value))).StatusCode);
    }

    [Fact]
    public async Task SignOut_DeletesTheCookie_AndStatusTellsWhoIsAsking()
    {
        using var http = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.False((await StatusAsync(http))["signedIn"]!.GetValue<bool>());
        await http.PostAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative), new FormUrlEncodedContent([new("key", ServiceFixture.OperatorKey)]));
        var signedIn = await StatusAsync(http);
        Assert.True(signedIn["signedIn"]!.GetValue<bool>() && signedIn["session"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/tasks", UriKind.Relative))).StatusCode);

        var signOut = await http.DeleteAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/tasks", UriKind.Relative))).StatusCode);
        Assert.False((await StatusAsync(http))["signedIn"]!.GetValue<bool>());
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> StatusAsync(HttpClient http) =>
        System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(OperatorSessionApi.Path, UriKind.Relative)))!;

    private static OperatorSessionTokens Tokens(string key, TimeProvider clock) =>
        new(Options.Create(new ApiOptions { Key = key }), clock);
}
