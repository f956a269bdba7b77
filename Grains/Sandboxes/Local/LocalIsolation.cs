namespace SandboxAgents.Sandboxes.Local;

/// <summary>Turns the <c>Isolation</c> setting into the bubblewrap executable to use, or null for unisolated commands.</summary>
internal static class LocalIsolation
{
    public static string? Resolve(LocalSandboxOptions options) => options.Isolation.ToLowerInvariant() switch
    {
        LocalSandboxOptions.Auto => BubblewrapLocator.Find(options.BubblewrapPath),
        LocalSandboxOptions.Bubblewrap => Required(options.BubblewrapPath),
        LocalSandboxOptions.None => null,
        _ => throw new InvalidOperationException(
            $"Sandbox:Local:Isolation must be 'auto', 'bubblewrap' or 'none', not '{options.Isolation}'."),
    };

    private static string Required(string? configured)
    {
        if (BubblewrapLocator.Find(configured) is { } found) return found;
        var path = string.IsNullOrWhiteSpace(configured) ? BubblewrapLocator.DefaultPath : configured;
        var problem = !File.Exists(path) ? "it is not installed (install the 'bubblewrap' package)"
            : BubblewrapLocator.Works(path, out var complaint) ? "it could not be found" : $"it does not work here: {complaint}";
        throw new InvalidOperationException($"Sandbox:Local:Isolation is 'bubblewrap' but {path} cannot be used: {problem}.");
    }
}
