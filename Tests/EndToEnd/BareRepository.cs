using System.Diagnostics;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>A real bare git repository on disk, standing in for GitHub's git: <c>{Root}/{owner}/{repo}.git</c>.</summary>
public sealed class BareRepository
{
    private BareRepository(string root, string path) => (Root, Path) = (root, path);

    /// <summary>The folder that plays <c>https://github.com/</c>.</summary>
    public string Root { get; }

    public string Path { get; }

    public static BareRepository Create(string root, string owner, string repository) =>
        Create(root, owner, repository, new Dictionary<string, string>());

    /// <summary>A repository whose first commit also holds <paramref name="files"/> (path relative to the root, content).</summary>
    public static BareRepository Create(string root, string owner, string repository, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(root);
        var path = System.IO.Path.Combine(root, owner, repository + ".git");
        Git(root, "init", "--bare", "--initial-branch=main", path);
        var seed = Directory.CreateTempSubdirectory("seed-").FullName;
        try
        {
            Git(seed, "clone", path, ".");
            File.WriteAllText(System.IO.Path.Combine(seed, "README.md"), "# Widgets\n\nTeh widgets.\n");
            foreach (var (file, content) in files)
            {
                var target = System.IO.Path.Combine(seed, file);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
                File.WriteAllText(target, content);
            }

            Git(seed, "add", ".");
            Git(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-m", "Initial commit");
            Git(seed, "push", "origin", "HEAD:refs/heads/main");
        }
        finally
        {
            Directory.Delete(seed, recursive: true);
        }

        return new BareRepository(root, path);
    }

    public IReadOnlyList<string> Branches() =>
        [.. Git(Path, "for-each-ref", "--format=%(refname:short)", "refs/heads").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public string Show(string branch, string file) => Git(Path, "show", $"{branch}:{file}");

    public string Config() => File.ReadAllText(System.IO.Path.Combine(Path, "config"));

    public static string Git(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        return output;
    }
}
