using Microsoft.Extensions.Options;

namespace SandboxAgents;

/// <summary>
/// Refuses at start a trigger that could never match (an empty label or command, a command with a space before or
/// after it: comments are matched from their first non-space character) or one the status comment cannot quote (a
/// backtick in the command), rather than leave the service deaf to its triggers without a word.
/// </summary>
public sealed class TriggerOptionsValidator : IValidateOptions<TriggerOptions>
{
    private const string Section = TriggerOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TriggerOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.Label)) failures.Add($"{Section}:Label must not be empty.");

        if (string.IsNullOrWhiteSpace(options.Command))
            failures.Add($"{Section}:Command must not be empty.");
        else if (options.Command != options.Command.Trim())
            failures.Add($"{Section}:Command '{options.Command}' must not start or end with a space.");
        else if (options.Command.Contains('`', StringComparison.Ordinal))
            failures.Add($"{Section}:Command '{options.Command}' must not contain a backtick: status comments quote it as code.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
