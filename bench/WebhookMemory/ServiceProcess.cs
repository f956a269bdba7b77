using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SandboxAgents.Bench.WebhookMemory;

/// <summary>
/// The built <c>Silo</c> app as its own process, as the README starts it (in-memory storage, a fixed webhook secret),
/// so that its memory is measured alone: <c>/proc/{pid}/status</c> gives the resident set now (VmRSS) and its peak
/// (VmHWM), and writing 5 to <c>/proc/{pid}/clear_refs</c> resets that peak to the present.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _data;

    private ServiceProcess(Process process, DirectoryInfo data, Uri url) => (_process, _data, Url) = (process, data, url);

    public Uri Url { get; }

    public static async Task<ServiceProcess> StartAsync(string siloDll, string secret)
    {
        var data = Directory.CreateTempSubdirectory("webhook-memory-");
        var url = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(siloDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { siloDll, "--urls", url.ToString().TrimEnd('/') }) start.ArgumentList.Add(argument);
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["GitHub__WebhookSecret"] = secret,
            // Never used: no delivery gets past the signature. The service refuses to start without credentials.
            ["GitHub__Token"] = "github_pat_bench_unused",
            ["Storage__Provider"] = "memory",
            ["Storage__Path"] = data.FullName,
            ["Orleans__SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans__ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, data, url);
        await service.WaitForHealthAsync();
        return service;
    }

    /// <summary>Resident bytes now (VmRSS) and at their peak since the last reset (VmHWM).</summary>
    public (long Resident, long Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        return (Kilobytes(status, "VmRSS:") * 1024, Kilobytes(status, "VmHWM:") * 1024);
    }

    /// <summary>Makes the peak the present resident set, so the next peak read is this burst's.</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _data.Delete(recursive: true);
    }

    private Task WaitForHealthAsync() => Shared.HealthWait.UntilHealthyAsync(_process, Url, "The service");

    private static long Kilobytes(string[] status, string field) =>
        long.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
