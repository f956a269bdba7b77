using Microsoft.Extensions.Options;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>Refuses a model API URL the relay cannot send to. A missing key is allowed: the relay then answers 503.</summary>
internal sealed class ModelApiOptionsValidator : IValidateOptions<ModelApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelApiOptions options)
    {
        if (!options.ModelApiUrl.IsAbsoluteUri || options.ModelApiUrl.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(options.ModelApiUrl.Query))
            return ValidateOptionsResult.Fail($"Agent:ModelApiUrl must be an absolute http(s) URL without a query, not '{options.ModelApiUrl}'.");
        return options.ModelApiTimeout > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Agent:ModelApiTimeout must be positive.");
    }
}
