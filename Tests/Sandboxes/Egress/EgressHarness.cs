using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>
/// The proxy as the service builds it (<see cref="EgressServiceCollectionExtensions.AddEgressProxy"/> over in-memory
/// settings), with sandbox socket folders in a temp folder, recorded logs, and clients that connect to a sandbox's
/// socket as the forwarder inside the sandbox does.
/// </summary>
public sealed class EgressHarness : IAsyncDisposable
{
    public const string ModelKey = "sk-ant-real-service-key-0123456789";
    private readonly ServiceProvider _services;

    private EgressHarness(ServiceProvider services, DirectoryInfo folder, RecordedLogs logs)
    {
        _services = services;
        Folder = folder;
        Logs = logs;
    }

    public DirectoryInfo Folder { get; }

    public RecordedLogs Logs { get; }

    public EgressProxy Proxy => _services.GetRequiredService<EgressProxy>();

    /// <summary>A proxy with these settings (keys like <c>Sandbox:Network:Allow:0</c>, <c>Agent:ModelApiKey</c>).</summary>
    public static EgressHarness Start(IDictionary<string, string?>? settings = null)
    {
        var logs = new RecordedLogs();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddEgressProxy()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new EgressHarness(services, Directory.CreateTempSubdirectory("egress-"), logs);
    }

    /// <summary>The socket path for a sandbox, in a folder of its own made as the caller of <see cref="EgressProxy.Open"/> would.</summary>
    public string SocketPath(string sandboxId)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Folder.FullName, sandboxId));
        return Path.Combine(folder.FullName, EgressEndpoint.SocketFileName);
    }

    /// <summary>Opens a sandbox with a fresh id and returns the id.</summary>
    public string OpenSandbox()
    {
        var id = "sbx-" + Guid.NewGuid().ToString("N")[..8];
        Proxy.Open(id, SocketPath(id));
        return id;
    }

    public async Task<Socket> ConnectAsync(string sandboxId)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath(sandboxId))).WaitAsync(RawHttp.Bound);
        return socket;
    }

    /// <summary>An HTTP client that reaches <c>http://127.0.0.1:3128</c> through the sandbox's socket, as the agent does through its forwarder.</summary>
    public HttpClient ModelClient(string sandboxId)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath(sandboxId)), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(EgressEndpoint.SandboxModelUrl + "/"), Timeout = RawHttp.Bound };
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Folder.Delete(recursive: true);
    }
}
