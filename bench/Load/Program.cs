using SandboxAgents.Bench.Load;

// The macro figures of webhook acknowledgement: the Silo against a bare HMAC endpoint (the ceiling), driven alike.
// Usage: dotnet bench/Load/bin/Release/net10.0/Load.dll [--silo PATH/Silo.dll] [--duration 10] [--warmup 3]
//        [--threads 2] [--connections 32] [--issues 500] [--rate-duration 10] [--storage sqlite|memory]
// The ceiling alone:  Load.dll ceiling --secret S --urls http://127.0.0.1:PORT
if (args is ["ceiling", ..])
{
    await Ceiling.RunAsync(LoadArguments.Value(args, "--urls") ?? "http://127.0.0.1:5080", LoadArguments.Value(args, "--secret") ?? LoadArguments.Secret);
    return;
}

var arguments = LoadArguments.Parse(args);
var rows = await MacroRun.RunAsync(arguments, Scenario.All(arguments.Issues), Console.Error);
Report.Write(Console.Out, arguments, rows);
