using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Tests.Gateway;

public sealed class WebhookGateTests
{
    private const string Secret = "gate-secret";
    private const int Cap = 64 * 1024;
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"zen":"Keep it logically awesome.","hook_id":1}""");
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().BuildServiceProvider();

    private readonly CountingArrayPool _pool = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly WebhookBufferBudget _budget = new(Cap);
    private readonly List<byte[]> _endpointSaw = [];

    private WebhookGate Gate()
    {
        var options = Options.Create(new WebhookOptions { WebhookSecret = Secret, MaxPayloadBytes = Cap });
        return new WebhookGate(new WebhookSignatureVerifier(Secret), _budget, options, _clock, NullLogger<WebhookGate>.Instance) { Pool = _pool };
    }

    private static DefaultHttpContext Request(Stream body, long? contentLength, params string[] signatures)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = HttpMethods.Post;
        context.Request.Body = body;
        context.Request.ContentLength = contentLength;
        context.Request.Headers["X-GitHub-Delivery"] = "delivery-1";
        if (signatures.Length > 0) context.Request.Headers[WebhookGate.SignatureHeader] = signatures;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private Task EndpointAsync(HttpContext context, PooledBody body)
    {
        _endpointSaw.Add(body.Span.ToArray());
        context.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    private void AssertEverythingGivenBack()
    {
        Assert.Equal(0, _pool.Outstanding);
        Assert.Equal(Cap, _budget.Available);
    }

    [Fact]
    public async Task InvokeAsync_SignedDelivery_HandlerGetsTheSameBytes_TheRequestBodyUntouched()
    {
        var body = new ObservedStream(Payload);
        var context = Request(body, Payload.Length, WebhookSignature.Compute(Secret, Payload));

        await Gate().InvokeAsync(context, EndpointAsync);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(Payload, Assert.Single(_endpointSaw));
        Assert.Same(body, context.Request.Body);
        Assert.Equal(1, _pool.Rents);
        AssertEverythingGivenBack();
    }

    [Fact]
    public async Task InvokeAsync_NoDeclaredLength_BodyGrownInPool_Accepted()
    {
        var large = Encoding.UTF8.GetBytes(new string('x', 40_000));
        var context = Request(new ObservedStream(large), null, WebhookSignature.Compute(Secret, large));

        await Gate().InvokeAsync(context, EndpointAsync);

        Assert.Equal(large, Assert.Single(_endpointSaw));
        AssertEverythingGivenBack();
    }

    [Fact]
    public async Task InvokeAsync_DeclaredLengthOverCap_413WithoutReading()
    {
        var body = new ObservedStream(Payload);
        var context = Request(body, Cap + 1, WebhookSignature.Compute(Secret, Payload));

        await Gate().InvokeAsync(context, EndpointAsync);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, context.Response.StatusCode);
        Assert.Equal(0, body.Reads);
        Assert.Empty(_endpointSaw);
        Assert.Equal(0, _pool.Rents);
    }

    [Fact]
    public async Task InvokeAsync_UndeclaredBodyOverCap_413_NothingKept()
    {
        var huge = new byte[Cap + 1];
        var context = Request(new ObservedStream(huge), null, WebhookSignature.Compute(Secret, huge));

        await Gate().InvokeAsync(context, EndpointAsync);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, context.Response.StatusCode);
        Assert.Empty(_endpointSaw);
        AssertEverythingGivenBack();
    }

    public static TheoryData<string[]> MalformedSignatures => new()
    {
        Array.Empty<string>(),
        new[] { "" },
        new[] { "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
        new[] { "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
        new[] { "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1" },
        new[] { "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e177" },
        new[] { "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
        new[] { "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
        new[] { "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
    };

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public async Task InvokeAsync_SignatureMissingOrMalformed_401WithoutReading(string[] signatures)
    {
        var body = new ObservedStream(Payload);
        var context = Request(body, Payload.Length, signatures);

        await Gate().InvokeAsync(context, EndpointAsync);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal(0, body.Reads);
        Assert.Equal(0, _pool.Rents);
        Assert.Empty(_endpointSaw);
    }

    [Fact]
    public async Task InvokeAsync_WellFormedWrongSignature_401_ArrayAndBudgetGivenBack()
    {
        var context = Request(new ObservedStream(Payload), Payload.Length, WebhookSignature.Compute("another secret", Payload));

        await Gate().InvokeAsync(context, EndpointAsync);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Empty(_endpointSaw);
        AssertEverythingGivenBack();
    }

    [Fact]
    public async Task InvokeAsync_EndpointThrows_ArrayAndBudgetGivenBack()
    {
        var context = Request(new ObservedStream(Payload), Payload.Length, WebhookSignature.Compute(Secret, Payload));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Gate().InvokeAsync(context, (_, _) => throw new InvalidOperationException("processing failed")));

        AssertEverythingGivenBack();
    }

    [Fact]
    public async Task InvokeAsync_ClientGoesAwayMidBody_EndsQuietly_ArrayAndBudgetGivenBack()
    {
        using var aborted = new CancellationTokenSource();
        var body = new StallingStream(Payload);
        var context = Request(body, 1_000, WebhookSignature.Compute(Secret, Payload));
        context.RequestAborted = aborted.Token;
        var invocation = Gate().InvokeAsync(context, EndpointAsync);
        Assert.True(body.Stalled);

        await aborted.CancelAsync();
        await invocation;

        Assert.Empty(_endpointSaw);
        AssertEverythingGivenBack();
    }

    [Fact]
    public async Task InvokeAsync_BudgetTaken_WaitsUnread_UntilItIsFree()
    {
        var held = await _budget.AcquireAsync(Cap, CancellationToken.None);
        var body = new ObservedStream(Payload);
        var context = Request(body, Payload.Length, WebhookSignature.Compute(Secret, Payload));

        var invocation = Gate().InvokeAsync(context, EndpointAsync);
        Assert.False(invocation.IsCompleted);
        Assert.Equal(0, body.Reads);

        held.Dispose();
        await invocation;
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        AssertEverythingGivenBack();
    }

    [Fact]
    public async Task InvokeAsync_BodyLargerThanTheWholeBudget_IsReadAlone()
    {
        var small = new WebhookBufferBudget(1_024);
        var options = Options.Create(new WebhookOptions { WebhookSecret = Secret, MaxPayloadBytes = Cap });
        var gate = new WebhookGate(new WebhookSignatureVerifier(Secret), small, options, _clock, NullLogger<WebhookGate>.Instance) { Pool = _pool };
        var large = Encoding.UTF8.GetBytes(new string('y', 10_000));
        var context = Request(new ObservedStream(large), large.Length, WebhookSignature.Compute(Secret, large));

        await gate.InvokeAsync(context, EndpointAsync);

        Assert.Equal(large, Assert.Single(_endpointSaw));
        Assert.Equal(1_024, small.Available);
    }

    [Fact]
    public async Task InvokeAsync_BudgetNeverFreesBeforeTheDeadline_503_Unread()
    {
        using var held = await _budget.AcquireAsync(Cap, CancellationToken.None);
        var body = new ObservedStream(Payload);
        var context = Request(body, Payload.Length, WebhookSignature.Compute(Secret, Payload));
        var invocation = Gate().InvokeAsync(context, EndpointAsync);

        _clock.Advance(new WebhookOptions().WebhookReadTimeout);
        await invocation;

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal(0, body.Reads);
        Assert.Equal(0, _pool.Rents);
    }

    [Fact]
    public async Task InvokeAsync_BodyStallsPastTheDeadline_408_ArrayAndBudgetGivenBack()
    {
        var body = new StallingStream(Payload);
        var context = Request(body, 1_000, WebhookSignature.Compute(Secret, Payload));
        var invocation = Gate().InvokeAsync(context, EndpointAsync);
        Assert.True(body.Stalled);

        _clock.Advance(new WebhookOptions().WebhookReadTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(invocation.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await invocation;

        Assert.Equal(StatusCodes.Status408RequestTimeout, context.Response.StatusCode);
        Assert.Empty(_endpointSaw);
        AssertEverythingGivenBack();
    }
}
