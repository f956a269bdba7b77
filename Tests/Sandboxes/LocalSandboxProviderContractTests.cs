using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>The contract for local sandboxes without isolation (trusted use only).</summary>
public sealed class LocalSandboxProviderContractTests : LocalSandboxContractTestsBase
{
    protected override string Isolation => LocalSandboxOptions.None;

    [Fact]
    public void IsIsolated_WithIsolationNone_IsFalse() => Assert.False(Local.IsIsolated);
}
