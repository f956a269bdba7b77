using BenchmarkDotNet.Running;

// Micro-benchmarks of the service's hot paths, each a thin call into product code.
// Usage: dotnet run -c Release --project bench/Bench -- --filter '*' [--job short] [--inProcess]
BenchmarkSwitcher.FromAssembly(typeof(SandboxAgents.Bench.SignatureBenchmarks).Assembly).Run(args);
