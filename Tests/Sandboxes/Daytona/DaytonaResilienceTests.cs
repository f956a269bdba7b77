using System.Net;
using SandboxAgents.Sandboxes.Daytona;

namespace SandboxAgents.Tests.Sandboxes.Daytona;

public sealed class DaytonaResilienceTests
{
    [Fact]
    public void RetryAfter_ThrottlerSuffixedHeader_IsHonoured()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After-sandbox-create", "7");
        response.Headers.Add("X-RateLimit-Remaining-sandbox-create", "0");

        Assert.Equal(TimeSpan.FromSeconds(7), DaytonaResilience.RetryAfter(response));
    }

    [Fact]
    public void RetryAfter_SeveralHeaders_TakesTheLongest()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", "2");
        response.Headers.Add("Retry-After-authenticated", "11");

        Assert.Equal(TimeSpan.FromSeconds(11), DaytonaResilience.RetryAfter(response));
    }

    [Fact]
    public void RetryAfter_None_LeavesTheBackOffToDecide()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Null(DaytonaResilience.RetryAfter(response));
    }
}
