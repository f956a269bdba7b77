using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes.Daytona;

namespace SandboxAgents.Sandboxes;

/// <summary>Refuses to start with a provider that cannot work: an unknown name, or Daytona without an API key.</summary>
internal sealed class SandboxOptionsValidator(IOptions<DaytonaOptions> daytona) : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options) => options.Provider switch
    {
        SandboxOptions.Local => ValidateOptionsResult.Success,
        SandboxOptions.Daytona when string.IsNullOrWhiteSpace(daytona.Value.ApiKey) => ValidateOptionsResult.Fail(
            "Daytona sandboxes are selected (Sandbox:Provider=daytona or USE_DAYTONA_SANDBOXES=true) but Daytona:ApiKey is not set."),
        SandboxOptions.Daytona when daytona.Value.AutoStopMinutes <= 0 || daytona.Value.AutoDeleteMinutes < 0 => ValidateOptionsResult.Fail(
            "Daytona:AutoStopMinutes must be positive and Daytona:AutoDeleteMinutes zero or more: they are what stops and deletes a forgotten sandbox."),
        SandboxOptions.Daytona when daytona.Value.FollowRenewInterval <= TimeSpan.Zero || daytona.Value.FollowRenewInterval * 2 > TimeSpan.FromMinutes(daytona.Value.AutoStopMinutes) => ValidateOptionsResult.Fail(
            "Daytona:FollowRenewInterval must be positive and at most half of Daytona:AutoStopMinutes: renewing a command's log connection is what keeps its sandbox from being auto-stopped."),
        SandboxOptions.Daytona when string.IsNullOrWhiteSpace(daytona.Value.Image) && (daytona.Value.Cpu ?? daytona.Value.Memory ?? daytona.Value.Disk) is not null => ValidateOptionsResult.Fail(
            "Daytona:Cpu, Daytona:Memory and Daytona:Disk apply only to sandboxes built from Daytona:Image; Daytona refuses them with a snapshot."),
        SandboxOptions.Daytona when !string.IsNullOrWhiteSpace(daytona.Value.Image) && !string.IsNullOrWhiteSpace(daytona.Value.Snapshot) => ValidateOptionsResult.Fail(
            "Set Daytona:Image or Daytona:Snapshot, not both."),
        SandboxOptions.Daytona => ValidateOptionsResult.Success,
        _ => ValidateOptionsResult.Fail($"Sandbox:Provider must be '{SandboxOptions.Local}' or '{SandboxOptions.Daytona}', not '{options.Provider}'."),
    };
}
