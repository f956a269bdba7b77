using System.Globalization;

namespace SandboxAgents.Bench.Load;

/// <summary>The two processes a run drives: the bare HMAC ceiling (this program's <c>ceiling</c> sub-command) and the built Silo.</summary>
public static class Targets
{
    /// <summary>Logged by the issue grain for a cancel with nothing to cancel: one line per delivery that reached it.</summary>
    public const string GrainAnswered = "not taken: NoActiveRun";

    public static Task<ServiceProcess> StartCeilingAsync() =>
        ServiceProcess.StartAsync(
            System.IO.Path.Combine(AppContext.BaseDirectory, "Load.dll"),
            ["ceiling", "--secret", LoadArguments.Secret],
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" });

    /// <summary>
    /// The Silo as the README starts it, in Production, with its own logging defaults (Information: one line per
    /// command), a webhook secret and a token it never uses (nothing here reaches GitHub), and fresh storage.
    /// </summary>
    public static Task<ServiceProcess> StartSiloAsync(LoadArguments arguments)
    {
        var data = Directory.CreateTempSubdirectory("bench-load-");
        return ServiceProcess.StartAsync(
            arguments.Silo,
            [],
            new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["GitHub__WebhookSecret"] = LoadArguments.Secret,
                ["GitHub__Token"] = "github_pat_bench_unused",
                ["Storage__Provider"] = arguments.Storage,
                ["Storage__Path"] = data.FullName,
                ["Orleans__SiloPort"] = ServiceProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = ServiceProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                ["Orleans__ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            },
            GrainAnswered,
            data);
    }
}
