using System.Globalization;

namespace SandboxAgents.Bench.WebhookMemory;

/// <summary>The command line: which service to start and how large a burst to send it.</summary>
internal sealed record Arguments(string Silo, int Requests, int Mebibytes, int Runs)
{
    public static Arguments Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }

        var silo = Path.GetFullPath(Value("--silo", Path.Combine(RepositoryRoot(), "Silo", "bin", "Release", "net10.0", "Silo.dll")));
        if (!File.Exists(silo)) throw new FileNotFoundException($"Build the service first: dotnet build Silo -c Release (looked for {silo}).");
        return new Arguments(silo, Number(Value("--requests", "12")), Number(Value("--mib", "24")), Number(Value("--runs", "3")));
    }

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Orleans.sln"))) return folder.FullName;
        return Directory.GetCurrentDirectory();
    }
}
