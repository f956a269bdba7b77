namespace SandboxAgents.Runs;

/// <summary>What losing access to a repository means for an issue's runs.</summary>
public static class GitHubAccess
{
    /// <summary>
    /// Marks every run: no comment can be written again, so the comment effect settles at once and a run settles once
    /// it has ended and its sandbox is gone.
    /// </summary>
    public static void Withdraw(IssueState state)
    {
        foreach (var run in state.Runs) run.GitHubAccessWithdrawn = true;
    }
}
