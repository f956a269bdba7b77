using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Tests.Fakes;
using Xunit.Abstractions;

namespace SandboxAgents.Tests.Cluster;

/// <summary>
/// Redis with a password, given the StackExchange.Redis way in <c>Redis:ConnectionString</c>: the service uses it,
/// and neither its logs nor its start-up error ever show the password.
/// </summary>
public sealed class RedisPasswordTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "redis-password-never-logged-5f1c";
    private readonly DirectoryInfo _root = OpenTempFolder.Create("sandbox-agents-redis-");
    private Process _redis = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = FreePort();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--requirepass", Password })
            start.ArgumentList.Add(argument);
        _redis = Process.Start(start)!;
        _redis.BeginOutputReadLine();
        await Eventually.MatchesAsync(() => Task.FromResult(Listening(_port)), up => up, "redis listening", TimeSpan.FromSeconds(10));
    }

    public Task DisposeAsync()
    {
        if (!_redis.HasExited) _redis.Kill();
        _redis.Dispose();
        _root.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private WebApplicationFactory<Program> Service(string connectionString, LogCollector logs) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            var settings = new Dictionary<string, string>
            {
                ["GitHub:WebhookSecret"] = "redis-webhook-secret",
                ["GitHub:Token"] = FakeGitHubServer.Token,
                ["Api:Key"] = "redis-operator-key",
                ["Storage:Provider"] = "redis",
                ["Storage:Path"] = Path.Combine(_root.FullName, "data"),
                ["Sandbox:Local:Root"] = Path.Combine(_root.FullName, "sandboxes"),
                ["Redis:ConnectionString"] = connectionString,
                ["Orleans:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["Orleans:ClusterId"] = "redis-" + Guid.NewGuid().ToString("N")[..8],
            };
            foreach (var (key, value) in settings) web.UseSetting(key, value);
            web.ConfigureTestServices(services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        });

    [Fact]
    public async Task PasswordInTheConnectionString_IsUsed_AndNeverLogged()
    {
        var logs = new LogCollector();
        await using (var service = Service($"127.0.0.1:{_port},password={Password}", logs))
        {
            using var http = service.CreateClient();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "redis-operator-key");

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/tasks", UriKind.Relative))).StatusCode);
        }

        Assert.Contains(logs.Lines, l => l.Contains($"127.0.0.1:{_port}", StringComparison.Ordinal));  // the options were logged, without it
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongPassword_StopsTheStart_WithoutShowingIt()
    {
        const string wrong = "wrong-redis-password-9d2e";
        var logs = new LogCollector();
        await using var service = Service($"127.0.0.1:{_port},password={wrong},connectTimeout=2000,abortConnect=true", logs);

        var error = Assert.ThrowsAny<Exception>(() => service.CreateClient());

        output.WriteLine(error.ToString()[..Math.Min(2000, error.ToString().Length)]);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(wrong, StringComparison.Ordinal));
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
