using System.Net;
using SandboxAgents.Runs;

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

    /// <summary>The status comment's link and the dashboard's routes come from <see cref="DashboardRoutes"/>; this holds the page's script to it.</summary>
    [Fact]
    public async Task IssueLink_OfTheStatusComment_IsThePageWhoseScriptOpensThatIssue()
    {
        var link = new DashboardLinkOptions { PublicUrl = new Uri("https://agents.example.com/") }.LinkTo(new IssueKey("octo", "widgets", 7));

        using var page = await service.Http.GetAsync(new Uri(new Uri(link!).PathAndQuery, UriKind.Relative));
        var script = await service.Http.GetStringAsync(new Uri("/dashboard.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"new URLSearchParams(location.search).get(\"{DashboardRoutes.IssueParameter}\")", script, StringComparison.Ordinal);
    }
}
