using SandboxAgents.Gateway.Hosting;
using SandboxAgents.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddSandboxSilo();
builder.AddGateway();

var app = builder.Build();
app.MapGateway();
app.MapOrleansDashboardForOperators();
app.Run();

public partial class Program;
