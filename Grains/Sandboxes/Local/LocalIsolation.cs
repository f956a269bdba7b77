namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Turns the <c>Isolation</c> setting into the bubblewrap executable to use, or null for unisolated commands. Only
/// <c>none</c>, asked for by name, runs without bubblewrap: <c>auto</c> and <c>bubblewrap</c> refuse to start when it
/// is missing or does not work here, and say what to install.
/// </summary>
internal static class LocalIsolation
{
    public static string? Resolve(LocalSandboxOptions options, int? sandboxUid) => options.Isolation.ToLowerInvariant() switch
    {
        LocalSandboxOptions.Auto or LocalSandboxOptions.Bubblewrap => Required(options, sandboxUid),
        LocalSandboxOptions.None => null,
        _ => throw new InvalidOperationException(
            $"Sandbox:Local:Isolation must be 'auto', 'bubblewrap' or 'none', not '{options.Isolation}'."),
    };

    private static string Required(LocalSandboxOptions options, int? sandboxUid)
    {
        if (BubblewrapLocator.Find(options.BubblewrapPath, sandboxUid) is { } found) return found;
        var path = string.IsNullOrWhiteSpace(options.BubblewrapPath) ? BubblewrapLocator.DefaultPath : options.BubblewrapPath;
        var problem = !File.Exists(path) ? "it is not installed (install the 'bubblewrap' package, e.g. apt-get install bubblewrap)"
            : BubblewrapLocator.Works(path, sandboxUid, out var complaint) ? "it could not be found" : $"it does not work here: {complaint}";
        throw new InvalidOperationException(
            $"Local sandboxes need bubblewrap, but {path} cannot be used: {problem}. " +
            "To run agents without any isolation (only agents you trust), set Sandbox:Local:Isolation=none.");
    }
}
