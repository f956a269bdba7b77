using System.Text;
using System.Text.Json;
using SandboxAgents.Sandboxes.Local;
using SandboxAgents.Sandboxes.Local.Cgroups;

namespace SandboxAgents.Tests.Hostile;

/// <summary>
/// What the host sees of a live sandbox, taken from outside while its agent waits: the environment of every process in
/// its cgroup, the environment the provider keeps for it, and every file in its work folder.
/// </summary>
public sealed record SandboxScan(IReadOnlyList<string> ProcessEnvironments, string EnvironmentFile, IReadOnlyList<(string Path, string Content)> Files)
{
    public static SandboxScan Take(string sandboxRoot, string sandboxId)
    {
        var folder = Path.Combine(sandboxRoot, sandboxId);
        var description = JsonSerializer.Deserialize<SandboxDescription>(File.ReadAllBytes(Path.Combine(folder, "meta", "sandbox.json")))!;
        var environments = new List<string>();
        foreach (var pid in SandboxCgroup.From(description.Cgroups!).Processes())
        {
            try
            {
                environments.Add(Encoding.Latin1.GetString(File.ReadAllBytes($"/proc/{pid}/environ")));
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        var files = Directory.EnumerateFiles(Path.Combine(folder, "work"), "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Select(f => (f, Encoding.Latin1.GetString(File.ReadAllBytes(f))))
            .ToList();
        return new SandboxScan(environments, File.ReadAllText(Path.Combine(folder, "meta", "environment.json")), files);
    }

    /// <summary>Every text the scan holds, named for the message of a failing assertion.</summary>
    public IEnumerable<(string Where, string Text)> Texts() =>
        ProcessEnvironments.Select((e, i) => ($"environment of sandbox process {i}", e))
            .Append(("the provider's environment.json", EnvironmentFile))
            .Concat(Files.Select(f => ($"file {f.Path}", f.Content)));
}
