using System.Text;
using System.Text.Json;
using SandboxAgents.Runner;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Runner;

/// <summary>
/// Runs the real run.sh with bash on a real bundle of a real repository, as the service hands it over; the agents
/// are bash snippets. What the runner packs is checked by fetching its bundle into a clone of the repository.
/// </summary>
public sealed class RunnerScriptTests : IDisposable
{
    private const string SuccessLine =
        """{"type":"result","subtype":"success","is_error":false,"total_cost_usd":0.12,"num_turns":3,"result":"Edited README"}""";

    private readonly RunnerSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Run_AgentEditsFile_PacksTheBranchAndReportsCommitted()
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
        Assert.Equal(_sandbox.GitOnChanges("rev-parse", RunnerSandbox.Branch), result.Commit);
        Assert.Contains(RunnerSandbox.Task, _sandbox.ShowFromChanges("README.md"));
        Assert.Equal(_sandbox.BaseCommit, _sandbox.GitOnChanges("rev-parse", RunnerSandbox.Branch + "~1"));
        Assert.Equal(
            "sandbox-agent|sandbox-agent@users.noreply.github.com|sandbox-agent|Agent changes for issue #12",
            _sandbox.GitOnChanges("log", "-1", "--format=%an|%ae|%cn|%s", RunnerSandbox.Branch));
        Assert.Equal($"{result.Commit} refs/heads/{RunnerSandbox.Branch}",
            BareRepository.Git(_sandbox.Root, "bundle", "list-heads", _sandbox.SandboxFile(RunnerFiles.ChangesBundle)).Trim());
        Assert.Equal(["main"], _sandbox.Repository.Branches());
        var agent = Assert.IsType<AgentResult>(result.AgentResult);
        Assert.Equal(("success", false, 0.12m, 3, "Edited README", 0),
            (agent.Subtype, agent.IsError, agent.TotalCostUsd, agent.NumTurns, agent.Result, agent.PermissionDenials));
        Assert.Contains("agent: editing README.md", run.Output);
        Assert.Contains("runner: packed 1 commit on agent/issue-12-ab12cd34", run.Output);
        Assert.Contains("agent: editing README.md", await File.ReadAllTextAsync(_sandbox.SandboxFile(RunnerFiles.AgentOutput)));
        Assert.Equal(["agent-output.log", "changes.bundle", "result.json", "run.sh", "runner-state", "task.md"],
            Directory.GetFileSystemEntries(_sandbox.SandboxFile(RunnerFiles.Directory)).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Run_IdentityAndMessageGiven_CommitsWithThem()
    {
        var run = await _sandbox.RunAsync("echo change >> README.md",
            (RunnerEnvironment.AuthorName, "Agent Smith"), (RunnerEnvironment.AuthorEmail, "smith@example.com"),
            (RunnerEnvironment.CommitMessage, "Fix the typo (#12)"));

        Assert.Equal(RunnerOutcomes.Committed, run.Result.Outcome);
        Assert.Equal("Agent Smith|smith@example.com|Agent Smith|smith@example.com|Fix the typo (#12)",
            _sandbox.GitOnChanges("log", "-1", "--format=%an|%ae|%cn|%ce|%s", RunnerSandbox.Branch));
    }

    [Fact]
    public async Task Run_AgentChangesNothing_ReportsNoChangesAndPacksNothing()
    {
        var run = await _sandbox.RunAsync("""echo '{"type":"result","subtype":"success","is_error":false,"result":"Nothing to do"}'""");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal((RunnerOutcomes.NoChanges, 0, (string?)null, 0, (string?)null),
            (run.Result.Outcome, run.Result.Commits, run.Result.Commit, run.Result.AgentExitCode, run.Result.Error));
        Assert.Equal("Nothing to do", run.Result.AgentResult?.Result);
        Assert.False(File.Exists(_sandbox.SandboxFile(RunnerFiles.ChangesBundle)));
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
        Assert.Equal("3", _sandbox.GitOnChanges("rev-list", "--count", $"main..{RunnerSandbox.Branch}"));
        Assert.Equal("three", _sandbox.ShowFromChanges("c.txt").Trim());
    }

    [Fact]
    public async Task Run_BaseBundleMissing_ReportsSetupErrorWithoutRunningTheAgent()
    {
        File.Delete(_sandbox.SandboxFile(RunnerFiles.BaseBundle));

        var run = await _sandbox.RunAsync("touch ../agent-ran");

        Assert.Equal((RunnerOutcomes.Error, (int?)null, 0), (run.Result.Outcome, run.Result.AgentExitCode, run.Result.Commits));
        Assert.Equal($"setup: {_sandbox.SandboxFile(RunnerFiles.BaseBundle)} is missing", run.Result.Error);
        Assert.False(File.Exists(_sandbox.SandboxFile("agent-ran")));
    }

    [Fact]
    public async Task Run_BundleHoldsAnotherCommit_ReportsCloneErrorWithoutRunningTheAgent()
    {
        const string other = "0123456789abcdef0123456789abcdef01234567";

        var run = await _sandbox.RunAsync("touch ../agent-ran", (RunnerEnvironment.BaseCommit, other));

        Assert.Equal(RunnerOutcomes.Error, run.Result.Outcome);
        Assert.Equal($"clone: the bundle holds {_sandbox.BaseCommit}, not the base commit {other}", run.Result.Error);
        Assert.False(File.Exists(_sandbox.SandboxFile("agent-ran")));
    }

    [Fact]
    public async Task Run_CorruptBundle_ReportsCloneErrorWithoutRunningTheAgent()
    {
        await File.WriteAllTextAsync(_sandbox.SandboxFile(RunnerFiles.BaseBundle), "not a bundle");

        var run = await _sandbox.RunAsync("touch ../agent-ran");

        Assert.Equal(RunnerOutcomes.Error, run.Result.Outcome);
        Assert.StartsWith("clone: ", run.Result.Error);
        Assert.False(File.Exists(_sandbox.SandboxFile("agent-ran")));
    }

    [Fact]
    public async Task Run_BranchWithQuotesAndControlCharacters_EscapesThemIntoValidJson()
    {
        const string branch = "agent/\"q\"\\x\n\t\u0001-12";

        var run = await _sandbox.RunAsync("true", (RunnerEnvironment.Branch, branch));

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
    public async Task Run_AgentRewiresTheCheckout_PacksTheBranchWithoutRunningItsHooks()
    {
        var marker = Path.Combine(_sandbox.Root, "hook-ran");
        var run = await _sandbox.RunAsync($"""
            git remote add origin 'file://{_sandbox.Root}/elsewhere.git'
            for hook in pre-commit commit-msg post-commit reference-transaction pre-push; do
              printf '#!/bin/sh\ntouch "{marker}"\nexit 1\n' > .git/hooks/$hook && chmod +x .git/hooks/$hook
            done
            git config core.hooksPath .git/hooks
            echo change >> README.md
            """);

        Assert.Equal(RunnerOutcomes.Committed, run.Result.Outcome);
        Assert.Equal(run.Result.Commit, _sandbox.GitOnChanges("rev-parse", RunnerSandbox.Branch));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Run_AgentReplacesTheHistory_ReportsThatItNoLongerDescendsFromTheBase()
    {
        var run = await _sandbox.RunAsync("""
            git checkout -q --orphan rewritten
            git rm -rq --cached .
            echo new > only.txt && git add only.txt && git commit -q -m "A new root"
            """);

        Assert.Equal((RunnerOutcomes.Error, "commit: HEAD does not descend from the base commit"), (run.Result.Outcome, run.Result.Error));
        Assert.False(File.Exists(_sandbox.SandboxFile(RunnerFiles.ChangesBundle)));
    }

    [Fact]
    public async Task Run_Anything_NeverTalksToARemoteOrCarriesGitConfigurationInTheEnvironment()
    {
        var run = await _sandbox.RunAsync("""
            env > ../agent-env.txt
            git remote > ../agent-remotes.txt
            echo change >> README.md
            git status --short
            """);

        Assert.Equal(RunnerOutcomes.Committed, run.Result.Outcome);
        var calls = _sandbox.GitCalls();
        Assert.Contains(calls, c => c.Command == "status");
        Assert.All(calls, call => Assert.Equal("none", call.Config));
        Assert.DoesNotContain(calls, c => c.Command is "clone" or "push" or "ls-remote" or "pull");
        Assert.Equal("", await File.ReadAllTextAsync(_sandbox.SandboxFile("agent-remotes.txt")));
        var agentEnvironment = await File.ReadAllTextAsync(_sandbox.SandboxFile("agent-env.txt"));
        Assert.Contains($"AGENT_TASK_FILE={_sandbox.SandboxFile(RunnerFiles.Task)}", agentEnvironment);
        Assert.DoesNotContain("GIT_CONFIG", agentEnvironment);
        Assert.False(File.Exists(_sandbox.SandboxFile(RunnerFiles.BaseBundle)));
    }
}
