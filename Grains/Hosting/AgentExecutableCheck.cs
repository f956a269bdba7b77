using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Hosting;

/// <summary>
/// Says at start, not at the first run's "command not found", when the agent's program is out of the sandboxes' sight
/// (an npm prefix under the home folder, say). Local sandboxes only: what a remote image holds cannot be told from here.
/// </summary>
internal sealed partial class AgentExecutableCheck(
    IServiceProvider services,
    IOptions<AgentOptions> agent,
    IOptions<LocalSandboxOptions> local,
    ILogger<AgentExecutableCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<ISandboxProvider>() is LocalSandboxProvider provider && Problem(provider.IsIsolated) is { } problem)
            LogAgentNotVisible(logger, problem);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Why sandboxes could not start the agent's program, or null when they can (or it cannot be told).</summary>
    internal string? Problem(bool isolated)
    {
        if (AgentExecutable.Of(agent.Value.Command) is not { } executable) return null;
        var path = agent.Value.Environment.TryGetValue("PATH", out var configured) ? configured : CommandLauncher.DefaultPath;
        if (SandboxExecutables.Find(executable, path, isolated, local.Value.ReadOnlyPaths) is not null) return null;
        return $"Agent:Command runs `{executable}`, which a sandbox cannot see: install it under /usr (npm's prefix) " +
               $"or add its folder to {LocalSandboxOptions.SectionName}:ReadOnlyPaths and PATH (Agent:Environment:PATH; sandboxes get {path}).";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Problem}")]
    private static partial void LogAgentNotVisible(ILogger logger, string problem);
}
