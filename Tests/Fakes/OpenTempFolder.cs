namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// A temp folder others may pass through (0711). The service, run as root, gives each sandbox its own host user, and
/// that user must reach its sandbox's folder and the tools bound into it; .NET's temp folders are 0700.
/// </summary>
public static class OpenTempFolder
{
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static DirectoryInfo Create(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder.FullName, Traversable);
        return folder;
    }

    /// <summary>A copy of the test agents (bin/…/EndToEnd/Agents) in an open folder, readable by sandbox users wherever the tests were checked out.</summary>
    public static string Agents() => LazyAgents.Value;

    private static readonly Lazy<string> LazyAgents = new(() =>
    {
        var copy = Path.Combine(Create("sandbox-agents-test-agents-").FullName, "agents");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Agents")))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(copy, Traversable | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            foreach (var file in Directory.EnumerateFiles(copy))
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        }

        return copy;
    });
}
