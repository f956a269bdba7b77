using Microsoft.Extensions.Options;

namespace SandboxAgents.Runs;

/// <summary>Refuses to start when the agent settings would put a model credential into sandboxes (see <see cref="ModelAccess"/>).</summary>
internal sealed class ModelAccessValidator(ModelAccess model) : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options) =>
        model.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
