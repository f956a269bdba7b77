using System.Globalization;

namespace SandboxAgents.Bench.Load;

/// <summary>
/// The command line: which Silo build to drive, how (wrk threads, connections, seconds, warm-up), with how many issues
/// and which storage. Every target gets the same settings.
/// </summary>
public sealed record LoadArguments(
    string Silo, string Storage, int Issues, int Threads, int Connections, TimeSpan Duration, TimeSpan WarmUp, TimeSpan RateDuration)
{
    public const string Secret = "bench-webhook-secret";

    public static LoadArguments Parse(string[] args)
    {
        var silo = System.IO.Path.GetFullPath(Value(args, "--silo") ?? System.IO.Path.Combine(RepositoryRoot(), "Silo", "bin", "Release", "net10.0", "Silo.dll"));
        if (!File.Exists(silo)) throw new FileNotFoundException($"Build the service first: dotnet build Silo -c Release (looked for {silo}).");
        return new LoadArguments(
            silo,
            Value(args, "--storage") ?? "sqlite",
            Number(args, "--issues", 500),
            Number(args, "--threads", 2),
            Number(args, "--connections", 32),
            TimeSpan.FromSeconds(Number(args, "--duration", 10)),
            TimeSpan.FromSeconds(Number(args, "--warmup", 3)),
            TimeSpan.FromSeconds(Number(args, "--rate-duration", 10)));
    }

    public static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int Number(string[] args, string name, int fallback) =>
        Value(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Orleans.sln"))) return folder.FullName;
        return Directory.GetCurrentDirectory();
    }
}
