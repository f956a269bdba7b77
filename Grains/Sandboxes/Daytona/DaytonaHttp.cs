using System.Net;
using System.Net.Http.Json;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>Shared HTTP plumbing of the Daytona clients: the client name, headers, and turning error answers into exceptions.</summary>
internal static class DaytonaHttp
{
    public const string ClientName = "daytona";

    /// <summary>Toolbox output formats depend on this header (API.md §4.3); 0.190.0 asks for JSON logs with markers.</summary>
    public const string SdkVersion = "0.190.0";

    /// <summary>Throws for an error answer: quota exhaustion as <see cref="SandboxCapacityException"/>, the rest as <see cref="DaytonaApiException"/>.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var message = await ReadMessageAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest && message.Contains("limit exceeded", StringComparison.OrdinalIgnoreCase))
            throw new SandboxCapacityException($"Daytona has no capacity for another sandbox: {message}");
        throw new DaytonaApiException(response.StatusCode, message);
    }

    private static async Task<string> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text)) return response.ReasonPhrase ?? "no message";
        try
        {
            var error = System.Text.Json.JsonSerializer.Deserialize(text, DaytonaJson.Default.DaytonaError);
            return error?.Message ?? error?.Error ?? text;
        }
        catch (System.Text.Json.JsonException)
        {
            return text.Length <= 300 ? text : text[..300];
        }
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new DaytonaApiException(response.StatusCode, "empty answer");
    }
}
