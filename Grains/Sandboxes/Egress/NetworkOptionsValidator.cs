using Microsoft.Extensions.Options;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>Refuses to start with a network mode, allow entry or limit the proxy cannot work with.</summary>
internal sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        var failures = new List<string>();
        if (options.Mode is not (NetworkOptions.Proxy or NetworkOptions.None or NetworkOptions.Host))
            failures.Add($"Sandbox:Network must be '{NetworkOptions.Proxy}', '{NetworkOptions.None}' or '{NetworkOptions.Host}', not '{options.Mode}'.");
        foreach (var entry in options.Allow)
        {
            try
            {
                AllowRule.Parse(entry);
            }
            catch (FormatException e)
            {
                failures.Add($"Sandbox:Network:Allow: {e.Message}");
            }
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero)
            failures.Add("Sandbox:Network:ConnectTimeout and Sandbox:Network:RequestTimeout must be positive.");
        if (options.MaxRequestBodyBytes <= 0 || options.MaxConnectionsPerSandbox <= 0)
            failures.Add("Sandbox:Network:MaxRequestBodyBytes and Sandbox:Network:MaxConnectionsPerSandbox must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
