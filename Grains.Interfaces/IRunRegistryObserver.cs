namespace SandboxAgents;

/// <summary>Told of every change the registry records (dashboards, event streams).</summary>
[Alias("SandboxAgents.IRunRegistryObserver")]
public interface IRunRegistryObserver : IGrainObserver
{
    [Alias("OnRunChanged")]
    void OnRunChanged(RunEntry entry);
}
