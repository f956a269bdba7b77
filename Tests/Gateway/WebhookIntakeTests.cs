using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

/// <summary>The webhook endpoint as the gateway maps it (gate and Octokit.Webhooks), with a processor that only records.</summary>
public sealed class WebhookIntakeTests : IAsyncLifetime
{
    private const string Secret = "intake-secret";
    private const string Path = WebhookIntakeHost.Path;
    private const int Cap = 256 * 1024;

    private WebhookIntakeHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await WebhookIntakeHost.StartAsync(Secret, new Dictionary<string, string> { ["GitHub:MaxPayloadBytes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public async Task DisposeAsync() => await _host.DisposeAsync();

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

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery("issues", body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivered = Assert.Single(_host.Processor.Events);
        Assert.Equal("Fix teh typo ✓", Assert.IsType<Octokit.Webhooks.Events.Issues.IssuesLabeledEvent>(delivered).Issue.Title);
    }

    [Theory]
    [InlineData(Path)]
    [InlineData(Path + "/")]
    [InlineData("/API/GitHub/Webhooks")]
    public async Task Post_UnsignedToAnyPathThatRoutesToTheEndpoint_401(string path)
    {
        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery("issues", Labeled("Sneaky"), null, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Processor.Events);
    }

    [Fact]
    public async Task Post_WellFormedWrongSignature_401()
    {
        var body = Labeled("Sneaky");

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery("issues", body, WebhookSignature.Compute("guessed", body)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Processor.Events);
    }

    [Fact]
    public async Task Post_DeclaredLengthOverCap_413()
    {
        var body = new byte[Cap + 1];

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery("issues", body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Processor.Events);
    }

    [Fact]
    public async Task Post_Delivered_BudgetIsWholeAgainAfterwards()
    {
        var body = Labeled("Check the budget");

        await _host.Http.SendAsync(WebhookIntakeHost.Delivery("issues", body, WebhookSignature.Compute(Secret, body)));
        await _host.Http.SendAsync(WebhookIntakeHost.Delivery("issues", body, WebhookSignature.Compute("guessed", body)));

        var budget = _host.Services.GetRequiredService<WebhookBufferBudget>();
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
}
