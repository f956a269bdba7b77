using System.Globalization;
using System.Text.Json;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// One local sandbox on disk: <c>{Root}/{id}/work</c> is its working folder and HOME (<c>/workspace</c> inside, owned
/// by its host user); <c>etc/</c> holds the files of its minimal <c>/etc</c>; <c>net/</c> the socket of its egress
/// proxy; <c>meta/</c> is the provider's alone (description, environment, command logs, exit codes, process groups),
/// owner-only and never visible inside.
/// </summary>
internal sealed class LocalSandbox(string root, string id)
{
    private const string DescriptionFile = "sandbox.json";
    private const string EnvironmentFile = "environment.json";
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;
    private const UnixFileMode TraverseOnly = OwnerOnlyDirectory | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string Id => id;
    public string Directory => Path.Combine(root, id);
    public string Work => Path.Combine(Directory, "work");
    public string Meta => Path.Combine(Directory, "meta");
    public string Etc => Path.Combine(Directory, "etc");
    public string Net => Path.Combine(Directory, "net");
    public bool Exists => File.Exists(Path.Combine(Meta, DescriptionFile));

    public string LogFile(string commandId) => Path.Combine(Meta, commandId + ".log");
    public string ExitFile(string commandId) => Path.Combine(Meta, commandId + ".exit");
    public string GroupFile(string commandId) => Path.Combine(Meta, commandId + ".pgid");

    /// <summary>Makes the folders and writes the environment, then the description last: a sandbox exists once that is there.</summary>
    public void Create(SandboxSpec spec, DateTimeOffset createdAt, SandboxUser? user, IReadOnlyList<string>? cgroups)
    {
        // The sandbox's own user must be able to pass through to what is bound for it, but list nothing.
        CreateFolder(Directory, TraverseOnly);
        CreateFolder(Work, OwnerOnlyDirectory);
        FileOwner.Give(Work, user);
        CreateFolder(Meta, OwnerOnlyDirectory);
        MinimalEtc.Write(Etc);
        CreateFolder(Net, TraverseOnly);
        WriteAtomically(Path.Combine(Meta, EnvironmentFile), JsonSerializer.SerializeToUtf8Bytes(spec.Environment));
        WriteAtomically(Path.Combine(Meta, DescriptionFile),
            JsonSerializer.SerializeToUtf8Bytes(new SandboxDescription(spec.Name, spec.Labels, createdAt, user, cgroups)));
    }

    public SandboxDescription Describe() =>
        JsonSerializer.Deserialize<SandboxDescription>(File.ReadAllBytes(Path.Combine(Meta, DescriptionFile)))
        ?? throw new SandboxException($"The description of sandbox {id} is empty.");

    public SandboxInfo Info()
    {
        var description = Describe();
        return new SandboxInfo(id, description.Name, description.Labels);
    }

    public IReadOnlyDictionary<string, string> Environment() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(Path.Combine(Meta, EnvironmentFile))) ?? [];

    /// <summary>
    /// Takes the command's id for one start only: false when a start of it was already claimed (by this service or by
    /// another process of it sharing the sandbox root), whose command is then the one to watch.
    /// </summary>
    public bool ClaimCommand(string commandId)
    {
        try
        {
            using var claim = new FileStream(Path.Combine(Meta, commandId + ".claim"), FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException) when (File.Exists(Path.Combine(Meta, commandId + ".claim")))
        {
            return false;
        }
    }

    public void RecordGroup(string commandId, int groupId) =>
        WriteAtomically(GroupFile(commandId), System.Text.Encoding.ASCII.GetBytes(groupId.ToString(CultureInfo.InvariantCulture)));

    public int? Group(string commandId) => ReadNumber(GroupFile(commandId));

    public int? ExitCode(string commandId) => ReadNumber(ExitFile(commandId));

    public IEnumerable<int> Groups() =>
        System.IO.Directory.Exists(Meta)
            ? System.IO.Directory.EnumerateFiles(Meta, "*.pgid").Select(ReadNumber).OfType<int>().Where(g => g > 1)
            : [];

    private static int? ReadNumber(string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Makes the folder with exactly this mode (the process's umask does not apply).</summary>
    private static void CreateFolder(string path, UnixFileMode mode)
    {
        System.IO.Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    /// <summary>Writes a private (0600) temporary file and renames it over the target, so readers never see half a file.</summary>
    private static void WriteAtomically(string file, byte[] content)
    {
        var temporary = file + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        using (var stream = new FileStream(temporary, options)) stream.Write(content);
        File.Move(temporary, file, overwrite: true);
    }
}
