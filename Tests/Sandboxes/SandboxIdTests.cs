using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

public sealed class SandboxIdTests
{
    [Fact]
    public void FromName_CleanShortName_IsTheNameItself() => Assert.Equal("sa-1a2b3c-widgets-7-abc", SandboxId.FromName("sa-1a2b3c-widgets-7-abc"));

    [Theory]
    [InlineData("sa-1a2b3c-Widgets-7-abc")]
    [InlineData("run_1")]
    [InlineData("../../etc")]
    [InlineData("___")]
    [InlineData("a-very-long-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on")]
    public void FromName_OtherNames_GiveAValidDeterministicId(string name)
    {
        var id = SandboxId.FromName(name);

        Assert.True(SandboxId.IsValid(id), id);
        Assert.Equal(id, SandboxId.FromName(name));
        Assert.NotEqual(id, SandboxId.FromName(name + "x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("A")]
    [InlineData("a/b")]
    [InlineData("..")]
    public void IsValid_NotAnId_IsFalse(string id) => Assert.False(SandboxId.IsValid(id));
}
