using System.Text;
using SandboxAgents.Sandboxes.Egress;
using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Sandboxes;

namespace SandboxAgents.Tests.Hostile;

/// <summary>
/// The hostile agent's attacks, one test each, against the service as it runs by default (bubblewrap, as root, the
/// egress proxy). Every attack must fail, and the run must still end the way a benign one does: the service pushes
/// the branch and opens the pull request. Each test reads the one shared run (see <see cref="HostileRun"/>).
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class HostileAgentTests(HostileServiceFixture service)
{
    private static void Failed(HostileRun run, string attack) =>
        Assert.True(run.Outcome(attack).StartsWith("failed", StringComparison.Ordinal), $"{attack}: {run.Outcome(attack)}");

    [Fact]
    public async Task Capabilities_NoneAreLeft_AndNoNewOnesCanBeHad()
    {
        var run = await service.HostileRunAsync();

        Assert.Equal("0000000000000000", run.Outcome("capeff"));
        Assert.Equal("1", run.Outcome("nonewprivs"));
        Assert.Equal("1000", run.Outcome("uid"));
        foreach (var attack in (string[])["new-userns", "raw-socket", "packet-socket"]) Failed(run, attack);
    }

    [Fact]
    public async Task SystemFolders_CannotBeRemountedOrWritten_AndHoldNothingOfTheHostsSecrets()
    {
        var run = await service.HostileRunAsync();

        foreach (var attack in (string[])["remount-usr", "remount-etc", "write-usr", "write-etc", "write-root", "read-shadow", "read-root-home"]) Failed(run, attack);
        Assert.False(File.Exists($"/usr/pwned-{run.Marker}"));
        Assert.False(File.Exists($"/etc/pwned-{run.Marker}"));
        Assert.False(File.Exists($"/pwned-{run.Marker}"));
    }

    [Fact]
    public async Task HostFiles_TheServicesDataSandboxesMirrorsAndRemote_AreOutOfReach()
    {
        var run = await service.HostileRunAsync();

        foreach (var name in (string[])["data", "sandboxes", "mirrors", "remote"])
        {
            Failed(run, "read-" + name);
            Failed(run, "write-" + name);
        }

        Failed(run, "write-remote-hook");
        foreach (var folder in (string[])[service.DataPath, service.SandboxRoot, service.RemoteRoot])
            Assert.Empty(Directory.EnumerateFiles(folder, $"*{run.Marker}*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(service.RemoteRoot, "octo", "widgets.git", "hooks", "post-receive")));
        Assert.DoesNotContain(service.Git.Branches(), b => b != "main" && !b.StartsWith("agent/issue-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Network_OnlyTheProxyLeadsOut_AndItRefusesTheServiceAndHostsOffTheList()
    {
        var run = await service.HostileRunAsync();

        Assert.Equal("lo", run.Outcome("interfaces").Trim());
        foreach (var name in (string[])["http", "silo", "gateway", "redis"])
        {
            Failed(run, "tcp-" + name);
            Failed(run, "proxy-" + name);
            Assert.Contains("403", run.Outcome("proxy-" + name), StringComparison.Ordinal);
        }

        foreach (var attack in (string[])["proxy-http-api", "proxy-localhost", "blocked-host", "model-other-path"]) Failed(run, attack);
        Assert.Equal($"succeeded {AllowedHostServer.Answer}", run.Outcome("allowed-host"));
        Assert.StartsWith("succeeded", run.Outcome("model"));
        var blocked = run.Done["history"]![0]!["blockedHosts"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        Assert.Contains("evil.example.com", blocked);
        Assert.Contains($"127.0.0.1:{service.HttpPort}", blocked);
    }

    [Fact]
    public async Task TheModel_IsReachedOnlyWithTheServicesKey_NeverTheAgentsPlaceholder()
    {
        var run = await service.HostileRunAsync();

        var asked = Assert.Single(service.Model.Requests, r => r.BodyText.StartsWith("{\"model\":\"claude-test\"", StringComparison.Ordinal));
        Assert.Equal(service.Secrets.ModelKey, asked.Headers["x-api-key"]);
        Assert.All(service.Model.Requests, r => Assert.Equal(service.Secrets.ModelKey, r.Headers["x-api-key"]));
        Assert.DoesNotContain(service.Model.Requests, r => r.Target.Contains("/v1/files", StringComparison.Ordinal));
        Assert.Contains(EgressEndpoint.PlaceholderApiKey, string.Join('\n', HostileRun.Dumps(service.Model, "agent")));
        Assert.StartsWith("succeeded", run.Outcome("model"));
    }

    [Fact]
    public async Task Canaries_AppearNowhereInTheSandbox_AtAnyPhase_NorInAnyOutput()
    {
        var run = await service.HostileRunAsync();
        var agent = HostileRun.Dumps(service.Model, "agent");
        var filter = HostileRun.Dumps(service.Model, "filter");
        var daemon = HostileRun.Dumps(service.Model, "daemon");

        // The spies saw a lot: every phase sent what it could read of every process and file.
        Assert.EndsWith("answered 200", run.Outcome("spy-agent"), StringComparison.Ordinal);
        Assert.NotEmpty(agent);
        Assert.NotEmpty(filter);
        Assert.NotEmpty(daemon);
        Assert.Contains("SANDBOX_COMMAND_ID=", agent[0], StringComparison.Ordinal);
        Assert.Contains(" mem [heap]", agent[0], StringComparison.Ordinal);
        Assert.Contains("== file /workspace/.agent-run/task.md", agent[0], StringComparison.Ordinal);
        Assert.Contains(daemon, d => d.Contains("bash .agent-run/run.sh", StringComparison.Ordinal));
        Assert.True(run.Scan.ProcessEnvironments.Count >= 3, $"{run.Scan.ProcessEnvironments.Count} processes scanned");

        var pull = Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == run.Branch);
        IEnumerable<(string Where, string Text)> places =
        [
            .. service.Model.Requests.Select((r, i) => ($"model request {i} ({r.Headers.GetValueOrDefault("x-hostile-phase")})", Encoding.Latin1.GetString(r.Body))),
            .. run.Scan.Texts(),
            ("the pushed branch", BareRepository.Git(service.Git.Path, "log", "-p", run.Branch)),
            ("the pull request", pull.ToJsonString()),
            ("the comments", string.Join('\n', service.GitHub.CommentsOn(ServiceFixture.Repository, HostileServiceFixture.HostileIssue).Select(c => c.ToJsonString()))),
            ("the API's answer", run.Done.ToJsonString()),
            ("the service's log", string.Join('\n', service.Logs.Lines)),
        ];
        foreach (var (where, text) in places)
            foreach (var (secret, value) in service.Secrets.AllForms())
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"the {secret} is in {where}");
    }

    [Fact]
    public async Task GitTraps_RunOnlyInTheSandbox_AndTheServicePushesItsOwnCommit()
    {
        var run = await service.HostileRunAsync();

        Assert.Equal("Succeeded", run.Done["state"]!.GetValue<string>());
        Assert.Equal("1", BareRepository.Git(service.Git.Path, "rev-list", "--count", $"main..{run.Branch}").Trim());
        // The service's commit is its credentials' account's (the token's user here), whatever the agent committed as.
        Assert.Equal($"{FakeGitHubServer.PatLogin}|Agent changes for issue #{HostileServiceFixture.HostileIssue}",
            BareRepository.Git(service.Git.Path, "log", "-1", "--format=%an|%s", run.Branch).Trim());
        Assert.Contains("Hostile was here.", service.Git.Show(run.Branch, "README.md"));
        Assert.Contains("* filter=hostile", service.Git.Show(run.Branch, ".gitattributes"));
        Assert.DoesNotContain(service.Model.Requests, r => r.Headers.GetValueOrDefault("x-hostile-phase")?.StartsWith("hook-", StringComparison.Ordinal) == true);
        Assert.False(File.Exists($"/tmp/hook-ran-{run.Marker}"));
        Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == run.Branch);
    }

    [Fact]
    public async Task Daemons_LeftBehind_DoNotOutliveTheRun()
    {
        var run = await service.HostileRunAsync();

        Assert.Equal(0, ProcessTable.CountSleeping(run.Marker));
        Assert.False(Directory.Exists(Path.Combine(service.SandboxRoot, run.Done["sandboxId"]!.GetValue<string>())));
    }

    private string Comment() =>
        Assert.Single(service.GitHub.CommentsOn(ServiceFixture.Repository, HostileServiceFixture.HostileIssue))["body"]!.GetValue<string>();

    [Fact]
    public async Task WhatTheAgentSaid_ReachesGitHubAsText_WithOnlyTheServicesClosingReference()
    {
        var run = await service.HostileRunAsync();

        var pull = Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == run.Branch);
        var body = pull["body"]!.GetValue<string>();
        Assert.Contains($"Closes #{HostileServiceFixture.HostileIssue}", body);
        Assert.DoesNotContain("Fixes #999", body);
        Assert.DoesNotContain("@someone", body);
        Assert.Contains("evil.example.com", body);
        // The final edit is written at the end of the tick the API reads the run's end in.
        await Eventually.TrueAsync(() => Comment().Contains("pull request is ready", StringComparison.Ordinal), "the final status comment");
        var comment = Comment();
        Assert.Contains("network filter blocked", comment, StringComparison.Ordinal);
        Assert.Contains("evil.example.com", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("@someone", comment, StringComparison.Ordinal);
    }
}
