namespace SandboxAgents.Tests.Unit;

public sealed class TriggerOptionsValidatorTests
{
    private static IEnumerable<string> Failures(string label, string command) =>
        new TriggerOptionsValidator().Validate(null, new TriggerOptions { Label = label, Command = command }).Failures ?? [];

    [Theory]
    [InlineData("agent", "/agent")]
    [InlineData("robot", "@bot")]
    [InlineData("needs agent", "/agent please")]
    public void Validate_UsableTrigger_Succeeds(string label, string command) =>
        Assert.Empty(Failures(label, command));

    [Theory]
    [InlineData("", "/agent", "Triggers:Label must not be empty.")]
    [InlineData("agent", " ", "Triggers:Command must not be empty.")]
    [InlineData("agent", " /agent", "Triggers:Command ' /agent' must not start or end with a space.")]
    [InlineData("agent", "/agent`", "Triggers:Command '/agent`' must not contain a backtick: status comments quote it as code.")]
    public void Validate_TriggerThatCannotWork_FailsNamingTheSetting(string label, string command, string failure) =>
        Assert.Equal([failure], Failures(label, command));
}
