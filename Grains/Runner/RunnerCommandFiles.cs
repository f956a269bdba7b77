using System.Text;

namespace SandboxAgents.Runner;

/// <summary>
/// The files that hand a run's setup and validate commands, and the setup's variables, to the runner (the contract
/// is at the top of run.sh): one file a command, <c>01</c>, <c>02</c>, … in its phase's folder, and the variables as
/// <c>NAME=value</c> entries, each ended by a NUL byte.
/// </summary>
public static class RunnerCommandFiles
{
    /// <summary>The command files of both phases, as (path, content).</summary>
    public static IEnumerable<(string Path, byte[] Content)> For(IReadOnlyList<string> setup, IReadOnlyList<string> validate) =>
        Phase(RunnerFiles.SetupCommands, setup).Concat(Phase(RunnerFiles.ValidateCommands, validate));

    /// <summary>The setup's variables file; null when there are none.</summary>
    /// <exception cref="ArgumentException">A name the shell cannot export, or a value holding a NUL byte.</exception>
    public static byte[]? SetupEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (!IsVariableName(name)) throw new ArgumentException($"Agent:SetupEnvironment: '{name}' is not a shell variable name.", nameof(variables));
            if (value.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException($"Agent:SetupEnvironment:{name} holds a NUL byte.", nameof(variables));
            text.Append(name).Append('=').Append(value).Append('\0');
        }

        return text.Length == 0 ? null : Encoding.UTF8.GetBytes(text.ToString());
    }

    private static IEnumerable<(string, byte[])> Phase(string folder, IReadOnlyList<string> commands) =>
        commands.Select((command, index) => (RunnerFiles.CommandFile(folder, index), Encoding.UTF8.GetBytes(command)));

    /// <summary>A name the shell can export: ASCII letters, digits and <c>_</c>, not starting with a digit.</summary>
    public static bool IsVariableName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
