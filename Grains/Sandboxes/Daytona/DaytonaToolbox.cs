using System.Net;
using System.Net.Http.Json;

namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>
/// The in-sandbox toolbox API (API.md §4), reached through the sandbox's <c>toolboxProxyUrl</c>. Every call counts
/// as activity, which is what keeps a watched sandbox from being auto-stopped.
/// </summary>
internal sealed class DaytonaToolbox(HttpClient http)
{
    public async Task<ExecResult> ExecuteAsync(Uri toolbox, string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new DaytonaExecuteRequest(command, Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)));
        using var response = await http.PostAsJsonAsync(new Uri(toolbox, "process/execute"), request, DaytonaJson.Default.DaytonaExecuteRequest, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestTimeout) return new ExecResult(-1, "", TimedOut: true);
        var result = await DaytonaHttp.ReadAsync(response, DaytonaJson.Default.DaytonaExecuteResponse, cancellationToken);
        return new ExecResult(result.ExitCode ?? -1, result.Result ?? "", TimedOut: false);
    }

    /// <summary>Creates a session; an existing one of that id is fine (409).</summary>
    public async Task CreateSessionAsync(Uri toolbox, string sessionId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(toolbox, "process/session"), new DaytonaSessionRequest(sessionId), DaytonaJson.Default.DaytonaSessionRequest, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict) return;
        await DaytonaHttp.EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>The commands a session has run, or null when the session does not exist.</summary>
    public async Task<IReadOnlyList<DaytonaCommand>?> GetSessionCommandsAsync(Uri toolbox, string sessionId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(toolbox, $"process/session/{Uri.EscapeDataString(sessionId)}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var session = await DaytonaHttp.ReadAsync(response, DaytonaJson.Default.DaytonaSession, cancellationToken);
        return session.Commands ?? [];
    }

    public async Task<string> StartAsync(Uri toolbox, string sessionId, string command, CancellationToken cancellationToken)
    {
        var url = new Uri(toolbox, $"process/session/{Uri.EscapeDataString(sessionId)}/exec");
        using var response = await http.PostAsJsonAsync(url, new DaytonaSessionExecRequest(command, RunAsync: true), DaytonaJson.Default.DaytonaSessionExecRequest, cancellationToken);
        return (await DaytonaHttp.ReadAsync(response, DaytonaJson.Default.DaytonaSessionExecResponse, cancellationToken)).CmdId;
    }

    /// <summary>The command's state (exit code absent while it runs), or null when the session or command is unknown.</summary>
    public async Task<DaytonaCommand?> GetCommandAsync(Uri toolbox, string sessionId, string commandId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(toolbox, $"process/session/{Uri.EscapeDataString(sessionId)}/command/{Uri.EscapeDataString(commandId)}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await DaytonaHttp.ReadAsync(response, DaytonaJson.Default.DaytonaCommand, cancellationToken);
    }

    /// <summary>The command's output so far, whichever form the daemon answers in: JSON with markers, or plain text.</summary>
    public async Task<string> GetLogsAsync(Uri toolbox, string sessionId, string commandId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(toolbox, $"process/session/{Uri.EscapeDataString(sessionId)}/command/{Uri.EscapeDataString(commandId)}/logs"), cancellationToken);
        await DaytonaHttp.EnsureSuccessAsync(response, cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var logs = await response.Content.ReadFromJsonAsync(DaytonaJson.Default.DaytonaLogs, cancellationToken);
            return logs is null ? "" : DaytonaLogDemultiplexer.Combine(logs);
        }

        return DaytonaLogDemultiplexer.Strip(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Uploads one file the way the SDKs do: <c>/files/bulk-upload</c> with the path part before the file part.</summary>
    public async Task UploadAsync(Uri toolbox, string path, Stream content, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(path), "files[0].path");
        form.Add(new StreamContent(content), "files[0].file", path);
        using var response = await http.PostAsync(new Uri(toolbox, "files/bulk-upload"), form, cancellationToken);
        await DaytonaHttp.EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Copies the file into the destination (false when it does not exist), refusing one over the limit.</summary>
    public async Task<bool> DownloadAsync(Uri toolbox, string path, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(toolbox, $"files/download?path={Uri.EscapeDataString(path)}"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await DaytonaHttp.EnsureSuccessAsync(response, cancellationToken);
        if (response.Content.Headers.ContentLength > maxBytes) throw new SandboxFileTooLargeException(path, maxBytes);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await SandboxFiles.CopyBoundedAsync(body, destination, maxBytes, path, cancellationToken);
        return true;
    }
}
