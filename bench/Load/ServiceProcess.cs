using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SandboxAgents.Bench.Load;

/// <summary>
/// A built app (<c>dotnet app.dll</c>) as its own process on a free loopback port, ready once <c>/healthz</c> answers.
/// Its output is drained (a full pipe would stall its logger) and the lines containing <see cref="Marker"/> counted,
/// so a run can check that every delivery reached a grain.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo? _data;
    private long _marked;

    private ServiceProcess(Process process, DirectoryInfo? data, Uri url, string? marker) => (_process, _data, Url, Marker) = (process, data, url, marker);

    public Uri Url { get; }

    public string? Marker { get; }

    /// <summary>Output lines seen so far that contain <see cref="Marker"/>.</summary>
    public long Marked => Interlocked.Read(ref _marked);

    public static async Task<ServiceProcess> StartAsync(
        string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? marker = null, DirectoryInfo? data = null)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = System.IO.Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll }.Concat(arguments).Append("--urls").Append(url.ToString().TrimEnd('/'))) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var service = new ServiceProcess(process, data, url, marker);
        process.OutputDataReceived += (_, line) => service.Count(line.Data);
        process.ErrorDataReceived += (_, line) => service.Count(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitForHealthAsync();
        return service;
    }

    /// <summary>A free loopback TCP port (for the Silo's own Orleans ports too).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _data?.Delete(recursive: true);
    }

    private void Count(string? line)
    {
        if (Marker is not null && line?.Contains(Marker, StringComparison.Ordinal) == true) Interlocked.Increment(ref _marked);
    }

    private Task WaitForHealthAsync() => Shared.HealthWait.UntilHealthyAsync(_process, Url, _process.StartInfo.ArgumentList[0]);
}
