using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Hosting;

/// <summary>
/// Builds the sandbox provider when the service starts rather than at the first run, so that a misconfiguration
/// (isolation required but missing) stops the start, and the warning about unisolated sandboxes is seen at once.
/// </summary>
internal sealed class SandboxProviderCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ISandboxProvider>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
