using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SandboxAgents.Tests.EndToEnd;

[Collection(LocalServiceCollection.Name)]
public sealed class OperatorPagesTests(LocalServiceFixture service)
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheOperatorApi_AndHasAReferencePage()
    {
        var document = await service.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var reference = await service.Http.GetAsync(new Uri("/api/reference/", UriKind.Relative));

        Assert.Contains("/api/tasks/{owner}/{repo}/{number}/cancel", document);
        Assert.Contains("/api/tasks/{owner}/{repo}/{number}/retry", document);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ReferencePage_WithoutTheKey_ShowsTheSignInForm()
    {
        using var browser = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/reference");
        request.Headers.Accept.ParseAdd("text/html");

        var page = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("value=\"/api/reference\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrleansDashboard_WithoutTheKey_AsksForItInAPostForm()
    {
        using var anonymous = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var navigation = new HttpRequestMessage(HttpMethod.Get, "/orleans/");
        navigation.Headers.Accept.ParseAdd("text/html");

        var page = await anonymous.SendAsync(navigation);
        var data = await anonymous.GetAsync(new Uri("/orleans/DashboardCounters", UriKind.Relative));
        var wrongBearer = new HttpRequestMessage(HttpMethod.Get, "/orleans/version");
        wrongBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Operator key", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/api/session\">", html, StringComparison.Ordinal);
        Assert.Contains("value=\"/orleans/\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("operatorKey", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        Assert.Equal("application/problem+json", data.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrongBearer)).StatusCode);
    }

    [Fact]
    public async Task OrleansDashboard_OpensByHeader_OrThroughTheSignInForm()
    {
        using var script = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceFixture.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync(new Uri("/orleans/version", UriKind.Relative))).StatusCode);

        using var browser = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        var wrong = await browser.PostAsync(new Uri("/api/session", UriKind.Relative),
            new FormUrlEncodedContent([new("key", "wrong"), new("returnUrl", "/orleans/")]));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("That is not the operator key.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await browser.PostAsync(new Uri("/api/session", UriKind.Relative),
            new FormUrlEncodedContent([new("key", ServiceFixture.OperatorKey), new("returnUrl", "/orleans/")]));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/orleans/", page.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/orleans/version", UriKind.Relative))).StatusCode);
    }
}
