using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class RunTransitionsTests
{
    [Theory]
    [InlineData(RunState.Queued, RunState.Provisioning, true)]
    [InlineData(RunState.Provisioning, RunState.Running, true)]
    [InlineData(RunState.Running, RunState.Publishing, true)]
    [InlineData(RunState.Publishing, RunState.Succeeded, true)]
    [InlineData(RunState.Publishing, RunState.NoChanges, true)]
    [InlineData(RunState.Queued, RunState.Cancelled, true)]
    [InlineData(RunState.Provisioning, RunState.TimedOut, true)]
    [InlineData(RunState.Running, RunState.Failed, true)]
    [InlineData(RunState.Queued, RunState.Running, false)]
    [InlineData(RunState.Running, RunState.Succeeded, false)]
    [InlineData(RunState.Succeeded, RunState.Cancelled, false)]
    [InlineData(RunState.Cancelled, RunState.Failed, false)]
    [InlineData(RunState.Failed, RunState.Queued, false)]
    public void IsAllowed_Edge(RunState from, RunState to, bool allowed) => Assert.Equal(allowed, RunTransitions.IsAllowed(from, to));
}
