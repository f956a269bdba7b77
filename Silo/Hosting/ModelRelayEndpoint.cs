using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Silo.Hosting;

/// <summary>
/// <c>{Gateway:PublicUrl}/api/model-relay/{token}/...</c>: the model API for remote (Daytona) sandboxes, which cannot
/// reach a local egress proxy. The token names one run (<see cref="ModelRelayTokens"/>); while that run is active the
/// request goes to <c>Agent:ModelApiUrl</c> with the service's key in place of the agent's placeholder, and the answer
/// streams back as it comes (server-sent events included). Anything else is refused with 403.
/// </summary>
public static partial class ModelRelayEndpoint
{
    public static IServiceCollection AddModelRelay(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(IConfigureOptions<ModelApiOptions>)))
            services.AddOptions<ModelApiOptions>().BindConfiguration(ModelApiOptions.SectionName);
        services.AddHttpClient(ModelApiOptions.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<ModelRelayTokens>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    public static WebApplication MapModelRelay(this WebApplication app)
    {
        app.Map(ModelAccess.RelayRoute + "/{token}/{**rest}", RelayAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task RelayAsync(
        HttpContext context, string token, string? rest, ModelRelayTokens tokens, IGrainFactory grains, IHttpClientFactory clients,
        IOptions<ModelApiOptions> model, TimeProvider clock, ILogger<ModelRelayTokens> logger)
    {
        var grant = tokens.Verify(token, clock.GetUtcNow());
        if (grant is null || model.Value.ModelApiKey is not { Length: > 0 } key)
        {
            await Results.Problem("Not a valid model relay token.", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        var run = await grains.GetGrain<ISandboxGrain>(grant.Issue.ToString()).GetSnapshotAsync();
        if (run.RunId != grant.RunId || !run.State.IsActive())
        {
            LogRefused(logger, grant.Issue, grant.RunId);
            await Results.Problem("The run this token was issued for has ended.", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        if (ModelRequests.Upstream(model.Value, "/" + (rest ?? "") + context.Request.QueryString) is not { } url)
        {
            await Results.Problem("This model API path is not open to sandboxes.", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), url);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0) request.Content = new StreamContent(context.Request.Body);
        var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")));
        ModelRequests.CopyHeaders(context.Request.Method, headers, request, key);

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ModelApiOptions.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            await Results.Problem("The model API could not be reached.", statusCode: StatusCodes.Status502BadGateway).ExecuteAsync(context);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in ModelRequests.ResponseHeaders(response)) context.Response.Headers[name] = values.ToArray();
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: a model relay request for run {RunId} was refused: the run has ended")]
    private static partial void LogRefused(ILogger logger, IssueKey issue, string runId);
}
