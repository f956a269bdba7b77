using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

/// <summary>
/// Through the real endpoint: a delivery's signature is checked once, by the gate, and its payload deserialised only
/// when it may be a command.
/// </summary>
public sealed class WebhookDispatcherTests : IAsyncLifetime
{
    private const string Secret = "dispatcher-secret";

    private readonly CountingVerifier _signatures = new(new WebhookSignatureVerifier(Secret));
    private WebhookIntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookIntakeHost.StartAsync(Secret, signatures: _signatures);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static byte[] Comment(string body, Action<JsonObject>? edit = null)
    {
        var payload = Payloads.For("issue_comment.created", "octo/widgets", 7, sender: "Alice", comment: body);
        edit?.Invoke(payload);
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    private Task<HttpResponseMessage> SendAsync(byte[] body, string? eventName = "issue_comment", string contentType = "application/json") =>
        _host.Http.SendAsync(WebhookIntakeHost.Delivery(eventName, body, WebhookSignature.Compute(Secret, body), contentType: contentType));

    /// <summary>An issue whose number the model cannot read: a delivery that got as far as the model would be refused.</summary>
    private static void UnreadableIssueNumber(JsonObject payload) => payload["issue"]!["number"] = "seven";

    [Fact]
    public async Task Post_CommentThatIsNotACommand_200_WithoutTheModelEverReadingIt()
    {
        var response = await SendAsync(Comment("Looks good to me", UnreadableIssueNumber));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Processor.Events);
    }

    [Fact]
    public async Task Post_CommandWithTheSameUnreadablePart_400_BecauseItIsDeserialised()
    {
        var response = await SendAsync(Comment("/agent run", UnreadableIssueNumber));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a GitHub webhook event this service can read", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_host.Processor.Events);
    }

    [Fact]
    public async Task Post_Command_ReachesTheProcessor_SignatureCheckedOnce()
    {
        var response = await SendAsync(Comment("/agent run"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_host.Processor.Events);
        Assert.Equal(1, _signatures.Checks);
    }

    [Fact]
    public async Task Post_IgnoredAndNotActedOn_EachSignatureCheckedOnce()
    {
        await SendAsync(Comment("thanks"));
        await SendAsync(Comment("thanks"), eventName: "star");

        Assert.Equal(2, _signatures.Checks);
    }

    [Fact]
    public async Task Post_OnlyTheGateChecks_NothingAfterItChecksAgain()
    {
        await using var host = await WebhookIntakeHost.StartAsync(Secret, signatures: new AcceptingVerifier());
        var body = Comment("/agent run");

        var response = await host.Http.SendAsync(WebhookIntakeHost.Delivery("issue_comment", body, WebhookSignature.Compute("some other secret", body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Processor.Events);
    }

    [Fact]
    public async Task Post_NoEventHeader_400()
    {
        var response = await SendAsync(Comment("/agent run"), eventName: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Processor.Events);
    }

    [Fact]
    public async Task Post_FormEncodedEventWeActOn_400()
    {
        var response = await SendAsync(Comment("/agent run"), contentType: "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Processor.Events);
    }

    private sealed class CountingVerifier(IWebhookSignatureVerifier inner) : IWebhookSignatureVerifier
    {
        private int _checks;

        public int Checks => Volatile.Read(ref _checks);

        public bool Verify(ReadOnlySpan<byte> body, ReadOnlySpan<byte> digest)
        {
            Interlocked.Increment(ref _checks);
            return inner.Verify(body, digest);
        }
    }

    private sealed class AcceptingVerifier : IWebhookSignatureVerifier
    {
        public bool Verify(ReadOnlySpan<byte> body, ReadOnlySpan<byte> digest) => true;
    }
}
