using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>
/// Sandboxes in Daytona, over its HTTP API (there is no .NET SDK). Every sandbox carries Daytona's own safety nets:
/// a finite auto-stop and an auto-delete, so one this service forgets is stopped and removed by Daytona itself.
/// </summary>
public sealed partial class DaytonaSandboxProvider : ISandboxProvider
{
    private static readonly TimeSpan FastPollingPhase = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SlowestPoll = TimeSpan.FromSeconds(1);

    private readonly DaytonaApi _api;
    private readonly DaytonaToolbox _toolbox;
    private readonly DaytonaOptions _options;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly TimeProvider _clock;
    private readonly ILogger<DaytonaSandboxProvider> _logger;
    private readonly ConcurrentDictionary<string, Uri> _toolboxes = new(StringComparer.Ordinal);

    public DaytonaSandboxProvider(IHttpClientFactory clients, IOptions<DaytonaOptions> options, TimeProvider clock, ILogger<DaytonaSandboxProvider> logger)
    {
        var http = clients.CreateClient(DaytonaHttp.ClientName);
        _api = new DaytonaApi(http);
        _toolbox = new DaytonaToolbox(http);
        _headers = [.. http.DefaultRequestHeaders.NonValidated.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()))];
        _options = options.Value;
        _clock = clock;
        _logger = logger;
    }

    public async Task<SandboxInfo> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        var fromImage = NullIfEmpty(_options.Image) is { } image ? new DaytonaBuildInfo($"FROM {image}") : null;
        var request = new DaytonaCreateRequest(
            spec.Name, new(spec.Labels), new(spec.Environment), Public: false, _options.Target, fromImage is null ? NullIfEmpty(_options.Snapshot) : null,
            _options.AutoStopMinutes, _options.AutoDeleteMinutes, _options.NetworkBlockAll ? true : null, NullIfEmpty(_options.NetworkAllowList),
            fromImage, fromImage is null ? null : _options.Cpu, fromImage is null ? null : _options.Memory, fromImage is null ? null : _options.Disk);

        DaytonaSandbox? sandbox;
        try
        {
            sandbox = await _api.CreateAsync(request, cancellationToken);
        }
        catch (Exception ex) when (IsAmbiguous(ex, cancellationToken))
        {
            // The create may have happened without its answer reaching us; the deterministic name tells.
            LogCreateAmbiguous(_logger, ex, spec.Name);
            sandbox = await _api.FindAsync(spec.Name, cancellationToken) ?? throw new SandboxException($"Creating sandbox {spec.Name} failed: {ex.Message}", ex);
        }

        sandbox ??= await _api.FindAsync(spec.Name, cancellationToken)
            ?? throw new SandboxException($"Daytona reported sandbox {spec.Name} as existing, but it cannot be found.");
        sandbox = await WaitUntilStartedAsync(sandbox, cancellationToken);
        _toolboxes[sandbox.Id] = ToolboxBase(sandbox);
        return new SandboxInfo(sandbox.Id, sandbox.Name, sandbox.Labels ?? []);
    }

    public async Task<ExecResult> ExecuteAsync(string sandboxId, string command, TimeSpan timeout, CancellationToken cancellationToken) =>
        await _toolbox.ExecuteAsync(await ToolboxAsync(sandboxId, cancellationToken), command, timeout, cancellationToken);

    /// <summary>
    /// Runs the command in a session named after it, and returns <c>{session}/{command}</c>. Starting the same command
    /// again finds the one already started instead of starting a second.
    /// </summary>
    public async Task<string> StartCommandAsync(string sandboxId, string command, CancellationToken cancellationToken)
    {
        var toolbox = await ToolboxAsync(sandboxId, cancellationToken);
        var sessionId = "run-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command)))[..16];
        if (await _toolbox.GetSessionCommandsAsync(toolbox, sessionId, cancellationToken) is [var started, ..])
            return $"{sessionId}/{started.Id}";

        await _toolbox.CreateSessionAsync(toolbox, sessionId, cancellationToken);
        var commandId = await _toolbox.StartAsync(toolbox, sessionId, command, cancellationToken);
        return $"{sessionId}/{commandId}";
    }

    public async Task<CommandStatus> GetCommandAsync(string sandboxId, string commandId, int tailLines, CancellationToken cancellationToken)
    {
        var separator = commandId.IndexOf('/', StringComparison.Ordinal);
        if (separator <= 0 || await FindToolboxAsync(sandboxId, cancellationToken) is not { } toolbox)
            return new CommandStatus(CommandPhase.Lost, null, []);

        var (session, command) = (commandId[..separator], commandId[(separator + 1)..]);
        var state = await _toolbox.GetCommandAsync(toolbox, session, command, cancellationToken);
        if (state is null) return new CommandStatus(CommandPhase.Lost, null, []);

        var logs = await _toolbox.GetLogsAsync(toolbox, session, command, cancellationToken);
        var lines = logs.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var tail = tailLines <= 0 || logs.Length == 0 ? [] : (lines.Length <= tailLines ? lines : lines[^tailLines..]).Select(CommandStatus.CapLine).ToArray();
        return state.ExitCode is { } exitCode
            ? new CommandStatus(CommandPhase.Exited, exitCode, tail)
            : new CommandStatus(CommandPhase.Running, null, tail);
    }

    /// <summary>
    /// Follows the command's log over the toolbox's WebSocket with the headers every request carries; an unknown
    /// sandbox or command returns at once (lost).
    /// </summary>
    public async Task FollowCommandAsync(string sandboxId, string commandId, Action<string> onLine, CancellationToken cancellationToken)
    {
        var separator = commandId.IndexOf('/', StringComparison.Ordinal);
        if (separator <= 0 || await FindToolboxAsync(sandboxId, cancellationToken) is not { } toolbox) return;

        var (session, command) = (commandId[..separator], commandId[(separator + 1)..]);
        var logs = new UriBuilder(new Uri(toolbox, $"process/session/{Uri.EscapeDataString(session)}/command/{Uri.EscapeDataString(command)}/logs?follow=true"));
        logs.Scheme = logs.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs;
        await new DaytonaLogFollow(logs.Uri, _headers, _options, _clock, onLine).RunAsync(cancellationToken);
    }

    public async Task UploadAsync(string sandboxId, string path, Stream content, CancellationToken cancellationToken) =>
        await _toolbox.UploadAsync(await ToolboxAsync(sandboxId, cancellationToken), Relative(path), content, cancellationToken);

    public async Task<bool> DownloadAsync(string sandboxId, string path, Stream destination, long maxBytes, CancellationToken cancellationToken) =>
        await _toolbox.DownloadAsync(await ToolboxAsync(sandboxId, cancellationToken), Relative(path), destination, maxBytes, cancellationToken);

    /// <summary>
    /// Asks Daytona to delete, then confirms: gone once it answers 404 or shows <c>destroyed</c>. A sandbox in the
    /// middle of a change (still being created) cannot be deleted yet (409): not confirmed, asked again later.
    /// </summary>
    public async Task<bool> DeleteAsync(string sandboxId, CancellationToken cancellationToken)
    {
        bool existed;
        try
        {
            existed = await _api.DeleteAsync(sandboxId, cancellationToken);
        }
        catch (DaytonaApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // A change is under way; if it is the deletion asked for earlier, it may have finished by now.
            var current = await _api.FindAsync(sandboxId, cancellationToken);
            if (current is null || current.State == DaytonaStates.Destroyed) return Forget(sandboxId);
            LogDeleteDeferred(_logger, sandboxId, ex.Message);
            return false;
        }

        if (!existed) return Forget(sandboxId);
        var after = await _api.FindAsync(sandboxId, cancellationToken);
        return after is null || after.State == DaytonaStates.Destroyed ? Forget(sandboxId) : false;
    }

    public async Task<IReadOnlyList<SandboxInfo>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        [.. (await _api.ListAsync(labels, cancellationToken))
            .Where(s => s.State != DaytonaStates.Destroyed && s.DesiredState != DaytonaStates.Destroyed)
            .Select(s => new SandboxInfo(s.Id, s.Name, s.Labels ?? []))];

    /// <summary>Polls as the official SDKs do (API.md §3): every 100 ms for five seconds, then ×1.1 up to one second.</summary>
    private async Task<DaytonaSandbox> WaitUntilStartedAsync(DaytonaSandbox sandbox, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var interval = _options.StartPollInterval;
        while (true)
        {
            if (sandbox.State == DaytonaStates.Started) return sandbox;
            if (sandbox.State is DaytonaStates.Error or DaytonaStates.BuildFailed)
                throw new SandboxFailedException($"Sandbox {sandbox.Name} failed to start: {sandbox.ErrorReason ?? sandbox.State}.");
            var waited = _clock.GetElapsedTime(started);
            if (waited >= _options.StartTimeout)
                throw new SandboxException($"Sandbox {sandbox.Name} was still '{sandbox.State}' after {_options.StartTimeout}.");

            await Task.Delay(interval, _clock, cancellationToken);
            if (waited >= FastPollingPhase) interval = TimeSpan.FromTicks(Math.Min((long)(interval.Ticks * 1.1), SlowestPoll.Ticks));
            sandbox = await _api.FindAsync(sandbox.Id, cancellationToken)
                ?? throw new SandboxFailedException($"Sandbox {sandbox.Name} disappeared while starting.");
        }
    }

    private async Task<Uri> ToolboxAsync(string sandboxId, CancellationToken cancellationToken) =>
        await FindToolboxAsync(sandboxId, cancellationToken) ?? throw new SandboxException($"There is no sandbox {sandboxId}.");

    /// <summary>The toolbox base of a sandbox, remembered from its creation or looked up (after a restart).</summary>
    private async Task<Uri?> FindToolboxAsync(string sandboxId, CancellationToken cancellationToken)
    {
        if (_toolboxes.TryGetValue(sandboxId, out var known)) return known;
        var sandbox = await _api.FindAsync(sandboxId, cancellationToken);
        if (sandbox is null || sandbox.DesiredState == DaytonaStates.Destroyed) return null;
        return _toolboxes[sandboxId] = ToolboxBase(sandbox);
    }

    private static Uri ToolboxBase(DaytonaSandbox sandbox) => new($"{sandbox.ToolboxProxyUrl.TrimEnd('/')}/{sandbox.Id}/");

    private bool Forget(string sandboxId)
    {
        _toolboxes.TryRemove(sandboxId, out _);
        return true;
    }

    private static string Relative(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path) || path.Split('/', '\\').Contains(".."))
            throw new ArgumentException($"'{path}' is not a path inside the sandbox.", nameof(path));
        return path;
    }

    private static bool IsAmbiguous(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or TimeoutRejectedException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            || (ex is DaytonaApiException api && (int)api.StatusCode >= 500);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [LoggerMessage(Level = LogLevel.Information, Message = "Daytona sandbox {SandboxId} cannot be deleted yet ({Reason}); asking again later")]
    private static partial void LogDeleteDeferred(ILogger logger, string sandboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating Daytona sandbox {Name} had no clear answer; checking whether it exists")]
    private static partial void LogCreateAmbiguous(ILogger logger, Exception exception, string name);
}
