using System.Net;

namespace SandboxAgents.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class DashboardEndpointsTests(DashboardServiceFixture service)
{
    [Theory]
    [InlineData("/", "text/html", "<title>")]
    [InlineData("/dashboard.css", "text/css", ".badge")]
    [InlineData("/dashboard.js", "text/javascript", "EventSource")]
    public async Task Get_DashboardFile_IsServedWithItsContentType(string path, string mediaType, string excerpt)
    {
        using var response = await service.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains(excerpt, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
