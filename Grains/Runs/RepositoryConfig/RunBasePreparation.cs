using SandboxAgents.Git;

namespace SandboxAgents.Runs.RepositoryConfig;

/// <summary>
/// Pins a run's base (the default branch's head) and reads the repository's <c>.github/sandbox-agents.yml</c> at
/// that very commit, never at a pull request's head or the agent's branch, merging it into the run's settings. Done
/// while the run is still queued, so a bad file fails it before any sandbox exists.
/// </summary>
public sealed class RunBasePreparation(IRepositoryMirror mirror, RunSettingsResolver resolver)
{
    /// <summary>Null when the run may go on; else why it must fail (<c>file:line:column: what</c>).</summary>
    public async Task<string?> PrepareAsync(IssueKey issue, RunRecord run, CancellationToken cancellationToken)
    {
        var start = await mirror.PrepareAsync(issue, run.RunId, cancellationToken);
        var file = await mirror.ReadFileAsync(issue, start.Commit, RepositoryConfigFile.Path, RepositoryConfigFile.MaxBytes, cancellationToken);
        (run.BaseBranch, run.BaseCommit) = (start.Branch, start.Commit);
        if (file is null) return null;

        var parse = file.TooLarge ? RepositorySettingsParser.TooLarge() : RepositorySettingsParser.Parse(file.Text!);
        if (parse.Problem is { } problem) return problem.Describe(RepositoryConfigFile.Path);

        var asked = parse.Settings!;
        var source = RepositoryConfigFile.SourceAt(start.Commit);
        var merged = resolver.Merge(run.Settings, asked, source, run.RequestedModel);
        run.StoredSettings = merged.Settings;
        if (asked.BranchPrefix is { } prefix) run.Branch = RunIdentity.Branch(issue, run.RunId, prefix);
        run.SettingsNote = merged.Lowered.Count == 0 ? $"settings from {source}" : $"settings from {source}: {string.Join("; ", merged.Lowered)}";
        return null;
    }
}
