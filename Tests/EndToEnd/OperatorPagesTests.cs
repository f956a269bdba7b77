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
        var reference = await service.Http.GetAsync(new Uri("/api/reference", UriKind.Relative));

        Assert.Contains("/api/tasks/{owner}/{repo}/{number}/cancel", document);
        Assert.Contains("/api/tasks/{owner}/{repo}/{number}/retry", document);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OrleansDashboard_WithoutTheKey_AsksForIt()
    {
        using var anonymous = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        var page = await anonymous.GetAsync(new Uri("/orleans/", UriKind.Relative));
        var data = await anonymous.GetAsync(new Uri("/orleans/DashboardCounters", UriKind.Relative));
        var wrong = await anonymous.GetAsync(new Uri("/orleans/?operatorKey=wrong", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("Operator key", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task OrleansDashboard_WithTheKey_OpensByHeaderOrByTheFormsCookie()
    {
        using var script = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceFixture.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync(new Uri("/orleans/version", UriKind.Relative))).StatusCode);

        using var browser = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        var page = await browser.GetAsync(new Uri($"/orleans/?operatorKey={ServiceFixture.OperatorKey}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("operatorKey", page.RequestMessage!.RequestUri!.Query, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/orleans/version", UriKind.Relative))).StatusCode);
    }
}
