using System.Text;
using System.Text.Json;
using SandboxAgents.Runner;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Runner;

/// <summary>Runs the real run.sh with bash against a real bare repository; the agents are bash snippets.</summary>
public sealed class RunnerScriptTests : IDisposable
{
    private const string Token = "ghp_Zx9Q2mK7vB4nR8tL1cW5yH3jD6fG0sA2pE4u";
    private const string SuccessLine =
        """{"type":"result","subtype":"success","is_error":false,"total_cost_usd":0.12,"num_turns":3,"result":"Edited README"}""";

    private readonly RunnerSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private string Git(params string[] arguments) => BareRepository.Git(_sandbox.Repository.Path, arguments).Trim();

    [Fact]
    public async Task Run_AgentEditsFile_PushesBranchAndReportsCommitted()
    {
        var run = await _sandbox.RunAsync($"""
            echo "agent: editing README.md"
            cat "$AGENT_TASK_FILE" >> README.md
            echo '{SuccessLine}'
            """);

        Assert.Equal(0, run.ExitCode);
        var result = run.Result;
        Assert.Equal(
            (RunnerOutcomes.Committed, RunnerSandbox.Branch, "main", 1, 0, (string?)null),
            (result.Outcome, result.Branch, result.BaseBranch, result.Commits, result.AgentExitCode, result.Error));
        Assert.Equal(Git("rev-parse", RunnerSandbox.Branch), result.Commit);
        Assert.Contains(RunnerSandbox.Task, _sandbox.Repository.Show(RunnerSandbox.Branch, "README.md"));
        Assert.Equal(
            "sandbox-agent|sandbox-agent@users.noreply.github.com|sandbox-agent|Agent changes for issue #12",
            Git("log", "-1", "--format=%an|%ae|%cn|%s", RunnerSandbox.Branch));
        var agent = Assert.IsType<AgentResult>(result.AgentResult);
        Assert.Equal(("success", false, 0.12m, 3, "Edited README", 0),
            (agent.Subtype, agent.IsError, agent.TotalCostUsd, agent.NumTurns, agent.Result, agent.PermissionDenials));
        Assert.Contains("agent: editing README.md", run.Output);
        Assert.Contains("runner: pushed 1 commit to agent/issue-12-ab12cd34", run.Output);
        Assert.Contains("agent: editing README.md", await File.ReadAllTextAsync(_sandbox.SandboxFile(RunnerFiles.AgentOutput)));
        Assert.Equal(["agent-output.log", "result.json", "run.sh", "task.md"],
            Directory.GetFileSystemEntries(_sandbox.SandboxFile(RunnerFiles.Directory)).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Run_IdentityAndMessageGiven_CommitsWithThem()
    {
        var run = await _sandbox.RunAsync("echo change >> README.md", null,
            (RunnerEnvironment.AuthorName, "Agent Smith"), (RunnerEnvironment.AuthorEmail, "smith@example.com"),
            (RunnerEnvironment.CommitMessage, "Fix the typo (#12)"));

        Assert.Equal(RunnerOutcomes.Committed, run.Result.Outcome);
        Assert.Equal("Agent Smith|smith@example.com|Agent Smith|smith@example.com|Fix the typo (#12)",
            Git("log", "-1", "--format=%an|%ae|%cn|%ce|%s", RunnerSandbox.Branch));
    }

    [Fact]
    public async Task Run_AgentChangesNothing_ReportsNoChangesAndPushesNothing()
    {
        var run = await _sandbox.RunAsync("""echo '{"type":"result","subtype":"success","is_error":false,"result":"Nothing to do"}'""");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal((RunnerOutcomes.NoChanges, 0, (string?)null, 0, (string?)null),
            (run.Result.Outcome, run.Result.Commits, run.Result.Commit, run.Result.AgentExitCode, run.Result.Error));
        Assert.Equal("Nothing to do", run.Result.AgentResult?.Result);
        Assert.Equal(["main"], _sandbox.Repository.Branches());
    }

    [Fact]
    public async Task Run_AgentExitsNonZero_ReportsExitCodeWithoutError()
    {
        var run = await _sandbox.RunAsync("echo 'agent: giving up' >&2; exit 3");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal((RunnerOutcomes.NoChanges, 3, (string?)null, (AgentResult?)null),
            (run.Result.Outcome, run.Result.AgentExitCode, run.Result.Error, run.Result.AgentResult));
        Assert.Contains("agent: giving up", run.Output);
        Assert.Contains("runner: agent exited 3", run.Output);
    }

    [Fact]
    public async Task Run_AgentEditsThenFails_CommitsAndReportsExitCode()
    {
        var run = await _sandbox.RunAsync("echo half-done >> README.md; exit 1");

        Assert.Equal((RunnerOutcomes.Committed, 1, 1), (run.Result.Outcome, run.Result.Commits, run.Result.AgentExitCode));
    }

    [Fact]
    public async Task Run_AgentReportsIsError_PassesTheResultThrough()
    {
        var run = await _sandbox.RunAsync("""
            echo '{"type":"result","subtype":"success","is_error":true,"result":"API Error: 429","permission_denials":[{"tool_name":"Bash"}]}'
            """);

        var agent = Assert.IsType<AgentResult>(run.Result.AgentResult);
        Assert.Equal(("success", true, "API Error: 429", 1), (agent.Subtype, agent.IsError, agent.Result, agent.PermissionDenials));
        Assert.Equal(0, run.Result.AgentExitCode);
    }

    [Fact]
    public async Task Run_AgentCommitsItself_CountsItsCommitsAndTheRest()
    {
        var run = await _sandbox.RunAsync("""
            echo one > a.txt && git add a.txt && git commit -q -m "Add a"
            echo two > b.txt && git add b.txt && git commit -q -m "Add b"
            echo three > c.txt
            """);

        Assert.Equal((RunnerOutcomes.Committed, 3), (run.Result.Outcome, run.Result.Commits));
        Assert.Equal("3", Git("rev-list", "--count", $"main..{RunnerSandbox.Branch}"));
        Assert.Equal("three", _sandbox.Repository.Show(RunnerSandbox.Branch, "c.txt").Trim());
    }

    [Fact]
    public async Task Run_RepositoryMissing_ReportsCloneErrorWithoutRunningTheAgent()
    {
        var missing = "file://" + Path.Combine(_sandbox.Root, "git", "o", "missing\"q\\b.git");

        var run = await _sandbox.RunAsync("touch ../agent-ran", missing);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal((RunnerOutcomes.Error, (string?)null, (int?)null, 0), (run.Result.Outcome, run.Result.Commit, run.Result.AgentExitCode, run.Result.Commits));
        Assert.StartsWith("clone: fatal: ", run.Result.Error);
        Assert.Contains("missing\"q\\b.git", run.Result.Error);
        Assert.False(File.Exists(_sandbox.SandboxFile("agent-ran")));
    }

    [Fact]
    public async Task Run_BranchWithQuotesAndControlCharacters_EscapesThemIntoValidJson()
    {
        const string branch = "agent/\"q\"\\x\n\t\u0001-12";

        var run = await _sandbox.RunAsync("true", null, (RunnerEnvironment.Branch, branch));

        Assert.Equal((RunnerOutcomes.Error, branch), (run.Result.Outcome, run.Result.Branch));
        Assert.StartsWith("setup: ", run.Result.Error);
        Assert.Contains(branch, run.Result.Error);
        Assert.Contains("\\u0001", run.ResultJson);
    }

    [Fact]
    public async Task Run_ResultTextWithQuotesNewlinesAndBackslashes_ComesThroughIntact()
    {
        const string text = "Fixed \"teh\" → \"the\" in C:\\docs\\README.md\nand a second line\twith a tab";
        var line = $$"""{"type":"result","subtype":"success","is_error":false,"result":{{JsonSerializer.Serialize(text)}}}""";
        await File.WriteAllTextAsync(_sandbox.SandboxFile("line.json"), "{\"type\":\"result\",\"result\":\"an earlier one\"}\n" + line + "\n");

        var run = await _sandbox.RunAsync("cat ../line.json; echo 'agent: bye'");

        Assert.Equal(text, run.Result.AgentResult?.Result);
        Assert.Contains(line, run.ResultJson);
    }

    [Fact]
    public async Task Run_AgentPrintsForgedResultLine_KeepsTheLastValidOne()
    {
        var run = await _sandbox.RunAsync($$"""
            echo '{{SuccessLine}}'
            echo '{"type":"result","subtype":"success","is_error":false},"commits":99,"outcome":"committed","x":{"y":1}'
            echo '{"type":"result","subtype":"success","is_error":false,"result":"truncated'
            """);

        Assert.Equal((RunnerOutcomes.NoChanges, 0), (run.Result.Outcome, run.Result.Commits));
        Assert.Equal("Edited README", run.Result.AgentResult?.Result);
    }

    [Fact]
    public async Task Run_AgentRewiresTheCheckout_PushStillGoesToTheRepositoryWithoutItsHooks()
    {
        var elsewhere = Path.Combine(_sandbox.Root, "elsewhere.git");
        var marker = Path.Combine(_sandbox.Root, "hook-ran");
        var run = await _sandbox.RunAsync($"""
            git init -q --bare '{elsewhere}'
            git remote set-url origin 'file://{elsewhere}'
            git config url.'file://{elsewhere}'.insteadOf '{_sandbox.RepositoryUrl}'
            for hook in pre-commit pre-push reference-transaction post-commit; do
              printf '#!/bin/sh\ntouch "{marker}"\nexit 1\n' > .git/hooks/$hook && chmod +x .git/hooks/$hook
            done
            echo change >> README.md
            """);

        Assert.Equal(RunnerOutcomes.Committed, run.Result.Outcome);
        Assert.Equal(run.Result.Commit, Git("rev-parse", RunnerSandbox.Branch));
        Assert.Empty(BareRepository.Git(elsewhere, "for-each-ref").Trim());
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Run_WithToken_GivesItOnlyToCloneAndPushAndLeavesItNowhere()
    {
        _sandbox.WriteToken(Token);

        var run = await _sandbox.RunAsync("""
            env > ../agent-env.txt
            cat ../.agent-run/git-token
            echo change >> README.md
            git status --short
            """);

        Assert.Equal(RunnerOutcomes.Committed, run.Result.Outcome);
        Assert.False(File.Exists(_sandbox.SandboxFile(RunnerFiles.GitToken)));
        var agentEnvironment = await File.ReadAllTextAsync(_sandbox.SandboxFile("agent-env.txt"));
        Assert.Contains($"AGENT_TASK_FILE={_sandbox.SandboxFile(RunnerFiles.Task)}", agentEnvironment);
        Assert.DoesNotContain("GIT_CONFIG", agentEnvironment);
        var header = RunnerSandbox.HeaderHash(Token);
        var calls = _sandbox.GitCalls();
        Assert.All(calls, call => Assert.Equal(call.Command is "clone" or "push" ? header : "none", call.Header));
        Assert.Equal(["clone", "push"], calls.Where(c => c.Header == header).Select(c => c.Command));
        Assert.Contains(calls, c => c.Command == "status");
        Assert.DoesNotContain("extraHeader", await File.ReadAllTextAsync(_sandbox.SandboxFile("repo/.git/config")), StringComparison.OrdinalIgnoreCase);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + Token));
        foreach (var secret in new[] { Token, encoded })
        {
            Assert.DoesNotContain(secret, run.Output);
            Assert.DoesNotContain(secret, run.ResultJson);
            foreach (var file in Directory.EnumerateFiles(_sandbox.Root, "*", SearchOption.AllDirectories))
                Assert.False((await File.ReadAllTextAsync(file)).Contains(secret, StringComparison.Ordinal), $"{file} holds the token");
        }
    }
}
