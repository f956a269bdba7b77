using System.Text.Json;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// One local sandbox on disk: <c>{Root}/{id}/work</c> is all the sandbox sees; <c>{Root}/{id}/meta</c> is the
/// provider's (name, labels, environment, command logs, exit codes, process groups) and never visible inside.
/// </summary>
internal sealed class LocalSandbox(string root, string id)
{
    private const string DescriptionFile = "sandbox.json";
    private const string EnvironmentFile = "environment.json";

    public string Id => id;
    public string Directory => Path.Combine(root, id);
    public string Work => Path.Combine(Directory, "work");
    public string Meta => Path.Combine(Directory, "meta");
    public bool Exists => File.Exists(Path.Combine(Meta, DescriptionFile));

    public string LogFile(string commandId) => Path.Combine(Meta, commandId + ".log");
    public string ExitFile(string commandId) => Path.Combine(Meta, commandId + ".exit");
    public string GroupFile(string commandId) => Path.Combine(Meta, commandId + ".pgid");

    public void Create(SandboxSpec spec)
    {
        System.IO.Directory.CreateDirectory(Work);
        System.IO.Directory.CreateDirectory(Meta);
        var environment = Path.Combine(Meta, EnvironmentFile);
        File.WriteAllText(environment, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(environment, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(environment, JsonSerializer.Serialize(spec.Environment));
        File.WriteAllText(Path.Combine(Meta, DescriptionFile), JsonSerializer.Serialize(new Description(spec.Name, spec.Labels)));
    }

    public SandboxInfo Describe()
    {
        var description = JsonSerializer.Deserialize<Description>(File.ReadAllText(Path.Combine(Meta, DescriptionFile)))!;
        return new SandboxInfo(id, description.Name, description.Labels);
    }

    public IReadOnlyDictionary<string, string> Environment() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(Meta, EnvironmentFile))) ?? [];

    public IEnumerable<int> ProcessGroups() =>
        System.IO.Directory.Exists(Meta)
            ? System.IO.Directory.EnumerateFiles(Meta, "*.pgid").Select(f => int.TryParse(File.ReadAllText(f), out var g) ? g : 0).Where(g => g > 0)
            : [];

    private sealed record Description(string Name, IReadOnlyDictionary<string, string> Labels);
}
