using Microsoft.Extensions.Options;
using SandboxAgents.Runner;

namespace SandboxAgents.Runs;

/// <summary>Refuses to start with agent limits a run could not go by: the ceilings, the model's name, the setup's variable names.</summary>
internal sealed class AgentLimitsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (options.MaxTurns <= 0) failures.Add("Agent:MaxTurns must be above 0.");
        if (options.MaxTimeout < options.Timeout) failures.Add($"Agent:MaxTimeout ({options.MaxTimeout}) must be at least Agent:Timeout ({options.Timeout}).");
        if (options.MaxBudgetUsd is <= 0) failures.Add("Agent:MaxBudgetUsd must be above 0 when it is set.");
        if (options.Model is not null && ModelName.Problem(options.Model) is { } model) failures.Add($"Agent:Model: {model}.");
        if (options.WrapUpGrace <= TimeSpan.Zero) failures.Add("Agent:WrapUpGrace must be positive.");
        var badNames = options.SetupEnvironment.Keys.Where(n => !RunnerCommandFiles.IsVariableName(n)).ToList();
        if (badNames.Count > 0)
            failures.Add($"Agent:SetupEnvironment names must be shell variable names (letters, digits and _, not starting with a digit): {string.Join(", ", badNames.Select(n => $"'{n}'"))}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
