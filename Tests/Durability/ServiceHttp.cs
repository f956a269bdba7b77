using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Durability;

/// <summary>What the process-level tests say to a running service over HTTP: a signed label webhook, and a task read.</summary>
public static class ServiceHttp
{
    /// <summary>The operator key the processes are started with (<c>Api:Key</c>): reads need it.</summary>
    public const string OperatorKey = "process-operator-key";

    public static Task SendLabeledAsync(Uri service, string secret, int number, string title)
    {
        var payload = Payloads.For("issues.labeled", "octo/widgets", number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        return SendAsync(service, secret, "issues", payload);
    }

    public static async Task SendAsync(Uri service, string secret, string eventName, JsonObject payload)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var http = new HttpClient { BaseAddress = service };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/github/webhooks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Compute(secret, body));
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>The task, or null while there is none or the service cannot answer (it may be between silos).</summary>
    public static async Task<JsonObject?> TaskAsync(Uri service, int number)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorKey);
        try
        {
            var response = await http.GetAsync(new Uri($"api/tasks/octo/widgets/{number}", UriKind.Relative));
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
