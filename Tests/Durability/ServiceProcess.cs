using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SandboxAgents.Tests.Durability;

/// <summary>
/// The service as its own process, started the way the README says (the built <c>Silo</c> app), so a test can kill it
/// with SIGKILL and start it again on the same data folder.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private Process? _process;

    public ServiceProcess(IReadOnlyDictionary<string, string> settings)
    {
        _settings = new Dictionary<string, string>(settings);
        Url = new Uri($"http://127.0.0.1:{FreePort()}/");
        _settings["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _settings["Orleans:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Uri Url { get; }

    public string SiloPort => _settings["Orleans:SiloPort"];

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    public string Output => string.Join('\n', _output);

    public async Task StartAsync()
    {
        var silo = Path.Combine(RepositoryRoot(), "Silo", "bin", Configuration(), "net10.0", "Silo.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { silo, "--urls", Url.ToString().TrimEnd('/') }) start.ArgumentList.Add(argument);
        foreach (var (key, value) in _settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Url };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited at start:\n{Output}");
            try
            {
                if ((await http.GetAsync(new Uri("healthz", UriKind.Relative))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The service did not answer /healthz:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>kill -9: no shutdown, no cleanup, as a crash or a pulled plug would leave things.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        if (_process is not null) await _process.WaitForExitAsync();
        _process?.Dispose();
    }

    private static string Configuration() => AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Orleans.sln"))) return folder.FullName;
        throw new InvalidOperationException("The tests run outside the repository.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
