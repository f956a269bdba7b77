using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SandboxAgents.Hosting;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Local;
using SandboxAgents.Tests.EndToEnd.ClaudeCli;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Sandboxes;

public sealed class AgentExecutableCheckTests : IDisposable
{
    private const string NotVisible = "which a sandbox cannot see: install it under /usr (npm's prefix) or add its folder to Sandbox:Local:ReadOnlyPaths and PATH";
    private readonly DirectoryInfo _folder = OpenTempFolder.Create("agent-executable-");

    [Fact]
    public async Task StartAsync_AgentCommandNamesAMissingProgram_SaysPlainlyThatSandboxesCannotSeeIt()
    {
        var local = new LocalSandboxOptions { Root = Path.Combine(_folder.FullName, "sandboxes") };
        await using var host = LocalProviderHost.Create(local);
        using var services = new ServiceCollection().AddSingleton<ISandboxProvider>(host.Provider).BuildServiceProvider();
        var agent = new AgentOptions { Command = "IS_SANDBOX=1 no-such-agent-7f3 -p < \"$AGENT_TASK_FILE\"" };
        var logs = new LogCollector();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(logs));

        await new AgentExecutableCheck(services, Options.Create(agent), Options.Create(local), factory.CreateLogger<AgentExecutableCheck>()).StartAsync(CancellationToken.None);

        Assert.Contains(logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal) && line.Contains($"Agent:Command runs `no-such-agent-7f3`, {NotVisible}", StringComparison.Ordinal));
    }

    [Fact]
    public void Problem_ProgramOutsideUsr_IsNamed_UntilItsFolderIsReadOnlyAndOnThePath()
    {
        var bin = Program("npm-global/bin", "fake-agent");
        var agent = new AgentOptions { Command = "fake-agent -p" };
        var local = new LocalSandboxOptions();

        Assert.Contains(NotVisible, Check(agent, local).Problem(isolated: true));

        local.ReadOnlyPaths.Add(bin);
        Assert.Contains(NotVisible, Check(agent, local).Problem(isolated: true)); // bound, but not on the sandbox's PATH

        agent.Environment["PATH"] = $"{bin}:{CommandLauncher.DefaultPath}";
        Assert.Null(Check(agent, local).Problem(isolated: true));
    }

    [Fact]
    public void Problem_LinkToAFileOutsideTheBinds_IsNamed()
    {
        var real = Program("prefix/lib/node_modules/agent/bin", "agent.exe");
        var bin = Directory.CreateDirectory(Path.Combine(_folder.FullName, "prefix/bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "fake-agent"), Path.Combine(real, "agent.exe"));
        var agent = new AgentOptions { Command = "fake-agent" };
        agent.Environment["PATH"] = bin;
        var local = new LocalSandboxOptions();
        local.ReadOnlyPaths.Add(bin);

        Assert.Contains(NotVisible, Check(agent, local).Problem(isolated: true));

        local.ReadOnlyPaths.Add(Path.Combine(_folder.FullName, "prefix"));
        Assert.Null(Check(agent, local).Problem(isolated: true));
    }

    [Fact]
    public void Problem_UnisolatedSandboxes_SeeTheWholeHost()
    {
        var bin = Program("elsewhere", "fake-agent");
        var agent = new AgentOptions { Command = "fake-agent" };
        agent.Environment["PATH"] = bin;

        Assert.Null(Check(agent, new LocalSandboxOptions()).Problem(isolated: false));
        Assert.Contains(NotVisible, Check(agent, new LocalSandboxOptions()).Problem(isolated: true));
    }

    [Fact]
    public void Problem_AFileThatIsNotExecutable_IsNamed()
    {
        var bin = Program("plain", "fake-agent");
        File.SetUnixFileMode(Path.Combine(bin, "fake-agent"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var agent = new AgentOptions { Command = "fake-agent" };
        agent.Environment["PATH"] = bin;

        Assert.Contains(NotVisible, Check(agent, new LocalSandboxOptions()).Problem(isolated: false));
    }

    [ClaudeCliFact]
    public void Problem_TheDefaultCommand_WithTheCliInstalledUnderUsr_IsNone() =>
        Assert.Null(Check(new AgentOptions(), new LocalSandboxOptions()).Problem(isolated: true));

    [Theory]
    [InlineData(AgentOptions.DefaultCommand, "claude")]
    [InlineData("bash /opt/agents/run.sh", "bash")]
    [InlineData("A=1 B_2=\"x\" '/opt/agent/bin/agent' --flag", "/opt/agent/bin/agent")]
    [InlineData("$AGENT_BINARY -p", null)]
    [InlineData("   ", null)]
    public void Of_TheFirstWordThatIsNotAnAssignment(string command, string? expected) =>
        Assert.Equal(expected, AgentExecutable.Of(command));

    private static AgentExecutableCheck Check(AgentOptions agent, LocalSandboxOptions local) =>
        new(new ServiceCollection().BuildServiceProvider(), Options.Create(agent), Options.Create(local), NullLogger<AgentExecutableCheck>.Instance);

    private string Program(string folder, string name)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_folder.FullName, folder)).FullName;
        var file = Path.Combine(bin, name);
        File.WriteAllText(file, "#!/bin/sh\necho agent\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
