using System.Text;
using SandboxAgents.Runner;

namespace SandboxAgents.Tests.Runner;

public sealed class RunnerCommandFilesTests
{
    [Fact]
    public void For_BothPhases_OneNumberedFileACommandInOrder()
    {
        var files = RunnerCommandFiles.For(["npm ci", "make\n--quiet"], ["npm test"]).Select(f => (f.Path, Encoding.UTF8.GetString(f.Content)));

        Assert.Equal([(".agent-run/setup/01", "npm ci"), (".agent-run/setup/02", "make\n--quiet"), (".agent-run/validate/01", "npm test")], files);
    }

    [Fact]
    public void SetupEnvironment_Variables_NameValueEntriesEachEndedByNul() =>
        Assert.Equal("A_TOKEN=x=y\nz\0NPM_TOKEN=secret\0"u8.ToArray(),
            RunnerCommandFiles.SetupEnvironment([KeyValuePair.Create("NPM_TOKEN", "secret"), KeyValuePair.Create("A_TOKEN", "x=y\nz")]));

    [Fact]
    public void SetupEnvironment_None_NoFile() => Assert.Null(RunnerCommandFiles.SetupEnvironment([]));

    [Theory]
    [InlineData("1TOKEN", "v")]
    [InlineData("NPM-TOKEN", "v")]
    [InlineData("A=B", "v")]
    [InlineData("", "v")]
    [InlineData("TOKEN", "a\0b")]
    public void SetupEnvironment_NameOrValueTheShellCannotTake_Throws(string name, string value) =>
        Assert.Throws<ArgumentException>(() => RunnerCommandFiles.SetupEnvironment([KeyValuePair.Create(name, value)]));
}
