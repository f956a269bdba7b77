using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>Daytona's main API, as far as sandbox lifecycles need it (API.md §2). Relative to <c>Daytona:ApiUrl</c>.</summary>
internal sealed class DaytonaApi(HttpClient http)
{
    /// <summary>Creates a sandbox; null when the name is already taken (409), which for our deterministic names means it exists.</summary>
    public async Task<DaytonaSandbox?> CreateAsync(DaytonaCreateRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("sandbox", request, DaytonaJson.Default.DaytonaCreateRequest, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict) return null;
        return await DaytonaHttp.ReadAsync(response, DaytonaJson.Default.DaytonaSandbox, cancellationToken);
    }

    /// <summary>The sandbox by id or name; null when it does not exist or was destroyed (404).</summary>
    public async Task<DaytonaSandbox?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"sandbox/{Uri.EscapeDataString(idOrName)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await DaytonaHttp.ReadAsync(response, DaytonaJson.Default.DaytonaSandbox, cancellationToken);
    }

    /// <summary>Asks for deletion (soft: the sandbox reaches <c>destroyed</c> later). False when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"sandbox/{Uri.EscapeDataString(id)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await DaytonaHttp.EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    /// <summary>Every sandbox carrying all the labels, following the cursor to the end.</summary>
    public async Task<IReadOnlyList<DaytonaSandbox>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var filter = Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string>(labels), DaytonaJson.Default.DictionaryStringString));
        var found = new List<DaytonaSandbox>();
        string? cursor = null;
        do
        {
            var query = $"sandbox?labels={filter}&limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await http.GetAsync(query, cancellationToken);
            var page = await DaytonaHttp.ReadAsync(response, DaytonaJson.Default.DaytonaSandboxPage, cancellationToken);
            found.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (!string.IsNullOrEmpty(cursor));

        return found;
    }
}
