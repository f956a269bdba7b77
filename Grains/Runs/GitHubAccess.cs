namespace SandboxAgents.Runs;

/// <summary>What losing access to a repository means for an issue's runs.</summary>
public static class GitHubAccess
{
    /// <summary>
    /// Marks every run not yet settled: its comment can never be written again, so the comment sync skips it and it
    /// settles once it has ended and its sandbox is gone.
    /// </summary>
    public static void Withdraw(IssueState state)
    {
        foreach (var run in state.Runs.Where(r => !r.IsSettled)) run.GitHubAccessWithdrawn = true;
    }
}
