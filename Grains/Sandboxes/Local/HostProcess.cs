using System.Globalization;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>A process of this machine as <c>/proc</c> shows it: enough to tell whether it belongs to a sandbox.</summary>
internal sealed record HostProcess(int Id, int Group, int Session, string? WorkingDirectory)
{
    /// <summary>Every live process that can be read now; zombies and processes that end while being read are skipped.</summary>
    public static IEnumerable<HostProcess> All()
    {
        if (!Directory.Exists("/proc")) yield break;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) continue;
            if (Read(folder, id) is { } process) yield return process;
        }
    }

    /// <summary>
    /// Whether any live process carries the variable in its environment (as every process of a command inherits the
    /// command's id). Reading environments is costly: only for the rare wait on a killed command.
    /// </summary>
    public static bool AnyWithVariable(string name, string value)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes($"{name}={value}\0");
        foreach (var process in All())
        {
            try
            {
                var environment = File.ReadAllBytes($"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/environ");
                if (environment.AsSpan().IndexOf(needle) >= 0) return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It ended while being read.
            }
        }

        return false;
    }

    private static HostProcess? Read(string folder, int id)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses.
            var stat = File.ReadAllText(Path.Combine(folder, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] is "Z" or "X" or "x") return null;
            var workingDirectory = new DirectoryInfo(Path.Combine(folder, "cwd")).LinkTarget;
            return new HostProcess(id, int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture), workingDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
