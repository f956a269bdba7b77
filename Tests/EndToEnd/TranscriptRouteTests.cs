using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace SandboxAgents.Tests.EndToEnd;

[Collection(LocalServiceCollection.Name)]
public sealed class TranscriptRouteTests(LocalServiceFixture service)
{
    private static readonly IssueKey Issue = new("octo", "widgets", 9_901);

    private static string Path(string runId) => DashboardRoutes.TranscriptPath(Issue, runId);

    [Fact]
    public async Task KeptTranscript_ServedWithTheKey_AsNdjson_RefusedWithout_404ForAnUnknownRun()
    {
        var store = service.Services.GetRequiredService<ITranscriptStore>();
        await store.SaveAsync(Issue, "aa11bb22cc33", "{\"type\":\"result\"}\n"u8.ToArray(), CancellationToken.None);

        using var served = await service.Http.GetAsync(new Uri(Path("aa11bb22cc33"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("application/x-ndjson", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"type\":\"result\"}\n", await served.Content.ReadAsStringAsync());

        using var anonymous = service.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        using var refused = await anonymous.GetAsync(new Uri(Path("aa11bb22cc33"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var unknown = await service.Http.GetAsync(new Uri(Path("ffffffffffff"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var notARun = await service.Http.GetAsync(new Uri(Path("..%2F..%2Fetc"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notARun.StatusCode);
    }
}
