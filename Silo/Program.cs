using SandboxAgents.Gateway.Hosting;
using SandboxAgents.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddLoggingDefaults();
var role = ServiceRole.From(builder.Configuration);
if (role.HostsSilo) builder.AddSandboxSilo();
else builder.AddClusterClient();
if (role.ServesGateway) builder.AddGateway();
if (role.ServesGateway) builder.Services.AddModelRelay();

var app = builder.Build();
if (role.ServesGateway) app.MapGateway().MapModelRelay();
else app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok", role = role.Name }));
if (role.HostsSilo) app.MapOrleansDashboardForOperators();
app.Run();

public partial class Program;
