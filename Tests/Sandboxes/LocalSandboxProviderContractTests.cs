using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>The contract for local sandboxes without isolation (trusted use only).</summary>
public sealed class LocalSandboxProviderContractTests : LocalSandboxContractTestsBase
{
    protected override string Isolation => LocalSandboxOptions.None;

    protected override string InsideWork(SandboxInfo sandbox) => WorkOf(sandbox);

    [Fact]
    public void IsIsolated_WithIsolationNone_IsFalse() => Assert.False(Local.IsIsolated);
}
