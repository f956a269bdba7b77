using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

/// <summary>The webhook endpoint as the gateway maps it (gate and Octokit.Webhooks), with a processor that only records.</summary>
public sealed class WebhookIntakeTests : IAsyncLifetime
{
    private const string Secret = "intake-secret";
    private const string Path = "/api/github/webhooks";
    private const int Cap = 256 * 1024;

    private readonly RecordingProcessor _processor = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["GitHub:WebhookSecret"] = Secret;
        builder.Configuration["GitHub:MaxPayloadBytes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Services.AddWebhookIntake();
        builder.Services.AddSingleton<WebhookEventProcessor>(_processor);
        _app = builder.Build();
        _app.MapWebhookIntake(Path);
        await _app.StartAsync();
        _http = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private static HttpRequestMessage Delivery(string path, byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "issues");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        if (signature is not null) request.Headers.Add(WebhookGate.SignatureHeader, signature);
        return request;
    }

    private static byte[] Labeled(string title)
    {
        var payload = Payloads.For("issues.labeled", "octo/widgets", 7, label: "agent");
        payload["issue"]!["title"] = title;
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    [Fact]
    public async Task Post_SignedDelivery_ReachesTheProcessorIntact()
    {
        var body = Labeled("Fix teh typo ✓");

        var response = await _http.SendAsync(Delivery(Path, body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivered = Assert.Single(_processor.Events);
        Assert.Equal("Fix teh typo ✓", Assert.IsType<Octokit.Webhooks.Events.Issues.IssuesLabeledEvent>(delivered).Issue.Title);
    }

    [Theory]
    [InlineData(Path)]
    [InlineData(Path + "/")]
    [InlineData("/API/GitHub/Webhooks")]
    public async Task Post_UnsignedToAnyPathThatRoutesToTheEndpoint_401(string path)
    {
        var response = await _http.SendAsync(Delivery(path, Labeled("Sneaky"), null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_processor.Events);
    }

    [Fact]
    public async Task Post_WellFormedWrongSignature_401()
    {
        var body = Labeled("Sneaky");

        var response = await _http.SendAsync(Delivery(Path, body, WebhookSignature.Compute("guessed", body)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_processor.Events);
    }

    [Fact]
    public async Task Post_DeclaredLengthOverCap_413()
    {
        var body = new byte[Cap + 1];

        var response = await _http.SendAsync(Delivery(Path, body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_processor.Events);
    }

    [Fact]
    public async Task Post_Delivered_BudgetIsWholeAgainAfterwards()
    {
        var body = Labeled("Check the budget");

        await _http.SendAsync(Delivery(Path, body, WebhookSignature.Compute(Secret, body)));
        await _http.SendAsync(Delivery(Path, body, WebhookSignature.Compute("guessed", body)));

        var budget = _app.Services.GetRequiredService<WebhookBufferBudget>();
        Assert.Equal(new WebhookOptions().WebhookBufferBudgetBytes, budget.Available);
    }

    [Theory]
    [InlineData("GitHub:WebhookBufferBudgetBytes", "0")]
    [InlineData("GitHub:MaxPayloadBytes", "0")]
    [InlineData("GitHub:WebhookReadTimeout", "00:00:00")]
    public async Task Start_InvalidWebhookSetting_Fails(string key, string value)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["GitHub:WebhookSecret"] = Secret;
        builder.Configuration[key] = value;
        builder.Services.AddWebhookIntake();
        await using var app = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    private sealed class RecordingProcessor : WebhookEventProcessor
    {
        public ConcurrentQueue<WebhookEvent> Events { get; } = new();

        public override ValueTask ProcessWebhookAsync(WebhookHeaders headers, WebhookEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            Events.Enqueue(webhookEvent);
            return ValueTask.CompletedTask;
        }
    }
}
