using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Sandboxes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>Sandboxes made behind the service's back with its labels are gone within a reaper period; others are left alone.</summary>
public abstract class OrphanReaperTests(ServiceFixture service)
{
    [Fact]
    public async Task OrphanWithOurLabels_IsDeleted_ForeignOneIsNot()
    {
        var sandboxes = service.Services.GetRequiredService<ISandboxProvider>();
        var id = Guid.NewGuid().ToString("N")[..8];
        var labels = new Dictionary<string, string>
        {
            [SandboxLabels.Service] = SandboxLabels.ServiceValue,
            [SandboxLabels.Instance] = "e2e",
            [SandboxLabels.Issue] = $"{ServiceFixture.Repository}#9999",
            [SandboxLabels.Run] = "forgotten",
        };
        var foreignLabels = new Dictionary<string, string>(labels) { [SandboxLabels.Instance] = "another-installation" };

        var orphan = await sandboxes.CreateAsync(new SandboxSpec($"orphan-{id}", labels, new Dictionary<string, string>()), CancellationToken.None);
        var foreign = await sandboxes.CreateAsync(new SandboxSpec($"foreign-{id}", foreignLabels, new Dictionary<string, string>()), CancellationToken.None);
        try
        {
            await Eventually.MatchesAsync(() => sandboxes.ListAsync(labels, CancellationToken.None), l => l.Count == 0, "the orphan reaped");

            Assert.Contains(await sandboxes.ListAsync(foreignLabels, CancellationToken.None), s => s.Id == foreign.Id);
            Assert.DoesNotContain(await sandboxes.ListAsync(new Dictionary<string, string>(), CancellationToken.None), s => s.Id == orphan.Id);
        }
        finally
        {
            await sandboxes.DeleteAsync(foreign.Id, CancellationToken.None);
        }
    }
}

[Collection(LocalServiceCollection.Name)]
public sealed class LocalOrphanReaperTests(LocalServiceFixture service) : OrphanReaperTests(service);

[Collection(DaytonaServiceCollection.Name)]
public sealed class DaytonaOrphanReaperTests(DaytonaServiceFixture service) : OrphanReaperTests(service);
