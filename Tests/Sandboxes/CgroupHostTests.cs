using SandboxAgents.Sandboxes.Local.Cgroups;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>
/// Which cgroup mechanism a host offers, read from <c>/proc/self/mountinfo</c> and <c>/proc/self/cgroup</c>. The
/// kernel's files are played by a temp folder (this machine has v1 controllers; a v2-only host is simulated).
/// </summary>
public sealed class CgroupHostTests : IDisposable
{
    private readonly DirectoryInfo _fs = Directory.CreateTempSubdirectory("cgroup-host-tests-");

    public void Dispose() => _fs.Delete(recursive: true);

    private string Mount(string name) => Directory.CreateDirectory(Path.Combine(_fs.FullName, name)).FullName;

    private (string MountInfo, string Cgroup) Proc(string mountInfo, string cgroup)
    {
        var info = Path.Combine(_fs.FullName, "mountinfo");
        var own = Path.Combine(_fs.FullName, "cgroup");
        File.WriteAllText(info, mountInfo);
        File.WriteAllText(own, cgroup);
        return (info, own);
    }

    [Fact]
    public void Detect_V1Controllers_UsesAFolderUnderTheProcessOwnCgroupOfEach()
    {
        var memory = Mount("memory");
        var pids = Mount("pids");
        var cpu = Mount("cpu,cpuacct");
        Directory.CreateDirectory(Path.Combine(memory, "job", "42"));
        var (info, cgroup) = Proc(
            $"30 25 0:26 / {memory} rw,relatime shared:9 - cgroup cgroup rw,memory\n" +
            $"31 25 0:27 / {pids} rw,relatime shared:10 - cgroup cgroup rw,pids\n" +
            $"32 25 0:28 / {cpu} rw,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct\n",
            "9:pids:/\n4:memory:/job/42\n2:cpu,cpuacct:/\n0::/\n");

        var host = CgroupHost.Detect(info, cgroup);

        Assert.True(host.IsAvailable);
        Assert.StartsWith("cgroup v1", host.Description);
        Assert.Equal(
            [Path.Combine(memory, "job", "42", "sandbox-agents", "sbx"), Path.Combine(pids, "sandbox-agents", "sbx"), Path.Combine(cpu, "sandbox-agents", "sbx")],
            host.For("sbx")!.Directories);
    }

    [Fact]
    public void Detect_V2WithControllers_MovesTheServiceIntoALeafAndEnablesThemForSandboxes()
    {
        var unified = Mount("unified");
        var own = Directory.CreateDirectory(Path.Combine(unified, "system.slice", "agents.service")).FullName;
        File.WriteAllText(Path.Combine(own, "cgroup.controllers"), "cpuset cpu io memory pids\n");
        File.WriteAllText(Path.Combine(own, "cgroup.procs"), "4242\n");
        var (info, cgroup) = Proc($"25 1 0:24 / {unified} rw,nosuid - cgroup2 cgroup2 rw\n", "0::/system.slice/agents.service\n");

        var host = CgroupHost.Detect(info, cgroup, processId: 4242);

        Assert.True(host.IsAvailable);
        Assert.StartsWith("cgroup v2", host.Description);
        Assert.Equal("4242", File.ReadAllText(Path.Combine(own, "service", "cgroup.procs")));
        Assert.Equal("+memory +pids +cpu", File.ReadAllText(Path.Combine(own, "cgroup.subtree_control")));
        Assert.Equal("+memory +pids +cpu", File.ReadAllText(Path.Combine(own, "sandbox-agents", "cgroup.subtree_control")));
        Assert.Equal([Path.Combine(own, "sandbox-agents", "sbx")], host.For("sbx")!.Directories);
    }

    [Fact]
    public void Detect_V2WithoutTheControllers_FallsBackToRlimitsAndSaysWhy()
    {
        var unified = Mount("unified");
        File.WriteAllText(Path.Combine(unified, "cgroup.controllers"), "cpu io\n");
        var (info, cgroup) = Proc($"25 1 0:24 / {unified} rw - cgroup2 cgroup2 rw\n", "0::/\n");

        var host = CgroupHost.Detect(info, cgroup);

        Assert.False(host.IsAvailable);
        Assert.Null(host.For("sbx"));
        Assert.StartsWith("rlimits only", host.Description);
    }
}
