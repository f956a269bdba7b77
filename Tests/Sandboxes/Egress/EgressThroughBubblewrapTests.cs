using SandboxAgents.Tests.Fakes;
using System.Diagnostics;
using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>
/// The proxy as a sandbox meets it: bubblewrap with its own network namespace, the socket's folder bound read-only at
/// <c>/run/egress</c>, Debian's socat presenting it on 127.0.0.1:3128, and curl with the proxy variables.
/// </summary>
public sealed class EgressThroughBubblewrapTests : IAsyncLifetime
{
    private FakeModelApi _api = null!;
    private EgressHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeModelApi.StartAsync();
        _harness = EgressHarness.Start(new Dictionary<string, string?>
        {
            ["Agent:ModelApiUrl"] = _api.BaseUrl.ToString(),
            ["Agent:ModelApiKey"] = EgressHarness.ModelKey,
            ["Sandbox:Network:Allow:0"] = $"127.0.0.1:{_api.BaseUrl.Port}",
        });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _api.DisposeAsync();
    }

    [SandboxToolsFact]
    public async Task Curl_InAnUnsharedNetwork_GetsOutThroughTheProxyOnly()
    {
        var sandbox = _harness.OpenSandbox();
        var port = _api.BaseUrl.Port;
        // socat gives no sign when it listens: the script waits for its port before the first request.
        var script = $$"""
            socat TCP-LISTEN:{{EgressEndpoint.SandboxPort}},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:{{EgressEndpoint.SandboxSocketPath}} &
            forwarder=$!
            for i in $(seq 200); do socat -u /dev/null TCP:127.0.0.1:{{EgressEndpoint.SandboxPort}} 2>/dev/null && break; sleep 0.05; done
            echo "model $(curl -s -o /dev/null -w '%{http_code}' -H 'x-api-key: {{EgressEndpoint.PlaceholderApiKey}}' -d '{}' "$ANTHROPIC_BASE_URL/v1/messages?beta=true")"
            echo "github $(curl -s -o /dev/null -w '%{http_connect}' https://github.com/)"
            echo "tunnel $(NO_PROXY= curl -s -o /dev/null -w '%{http_code}' --proxytunnel -x "$HTTP_PROXY" http://127.0.0.1:{{port}}/tunnelled)"
            curl -s -m 5 --noproxy '*' http://1.1.1.1/ >/dev/null; echo "direct $?"
            kill $forwarder
            """;

        var output = await RunInSandboxAsync(Path.GetDirectoryName(_harness.SocketPath(sandbox))!, script);

        Assert.Equal("model 200\ngithub 403\ntunnel 200\ndirect 7\n", output);
        Assert.Equal(["github.com"], _harness.Proxy.BlockedHosts(sandbox));
        var requests = _api.Requests.ToList();
        Assert.Equal(["/v1/messages?beta=true", "/tunnelled"], requests.Select(r => r.Target));
        Assert.Equal(EgressHarness.ModelKey, requests[0].Headers["x-api-key"]);
        Assert.False(requests[1].Headers.ContainsKey("x-api-key")); // a tunnel is opaque: nothing is added to it
    }

    private static async Task<string> RunInSandboxAsync(string socketFolder, string script)
    {
        var start = new ProcessStartInfo("/usr/bin/bwrap") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--unshare-user", "--uid", "1000", "--gid", "1000", "--cap-drop", "ALL", "--unshare-net", "--unshare-pid",
            "--unshare-ipc", "--unshare-uts", "--new-session", "--die-with-parent",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--ro-bind", socketFolder, EgressEndpoint.SandboxSocketDirectory,
            "--", "/bin/sh", "-c", script,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["HOME"] = "/tmp";
        start.Environment["HTTPS_PROXY"] = start.Environment["HTTP_PROXY"] = EgressEndpoint.SandboxProxyUrl.ToString().TrimEnd('/');
        start.Environment["NO_PROXY"] = "localhost,127.0.0.1";
        start.Environment["ANTHROPIC_BASE_URL"] = EgressEndpoint.SandboxModelUrl.ToString();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await errors}");
        return await output;
    }
}
