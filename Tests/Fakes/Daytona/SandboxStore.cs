using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// The organization's sandboxes and their lifecycle (API.md §2, §2.4). State changes take time: each one completes
/// after a set number of <c>GET /sandbox/{idOrName}</c> calls, so a client must poll as the SDKs do (§3). Responses
/// are JSON snapshots taken under the lock.
/// </summary>
internal sealed class SandboxStore(TimeProvider time, string root, Func<string> toolboxProxyUrl)
{
    public const string OrganizationId = "00000000-0000-4000-8000-0000000000fa";
    public const string DefaultSnapshot = "daytonaio/sandbox:0.4.3";
    public const int MaxAutoArchiveInterval = 43200;

    private readonly Lock _gate = new();
    private readonly List<FakeSandbox> _sandboxes = [];
    private readonly ConcurrentQueue<string> _createErrors = new();

    public int GetsUntilStarted { get; set; } = 2;
    public int GetsUntilStopped { get; set; } = 1;
    public int GetsUntilDestroyed { get; set; } = 1;
    public bool QuotaExceeded { get; set; }
    public int CpuLimit { get; set; } = 10;

    /// <summary>The next created sandbox goes to <c>error</c> with <paramref name="reason"/> instead of <c>started</c>.</summary>
    public void FailNextCreate(string reason) => _createErrors.Enqueue(reason);

    public JsonObject Create(CreateSandboxRequest request)
    {
        if (request.Snapshot is { Length: > 0 } && request.BuildInfo is not null)
            throw new DaytonaException(400, "Cannot specify both snapshot and buildInfo");
        if (request.BuildInfo is null && request.AsksForResources)
            throw new DaytonaException(400, "Cannot specify Sandbox resources when using a snapshot");
        var cpu = request.Cpu ?? 1;
        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString();
        lock (_gate)
        {
            var used = _sandboxes.Where(s => s.State is not (SandboxStates.Destroyed or SandboxStates.Stopped or SandboxStates.Error)).Sum(s => s.Cpu);
            if (QuotaExceeded || used + cpu > CpuLimit)
                throw new DaytonaException(400, $"Total CPU limit exceeded. Maximum allowed: {CpuLimit}.");
            var name = request.Name is { Length: > 0 } given ? given : id;
            if (_sandboxes.Any(s => !s.IsDestroyed && s.Name == name))
                throw new DaytonaException(409, $"Sandbox with name {name} already exists");
            var failure = _createErrors.TryDequeue(out var reason) ? reason : null;
            var sandbox = new FakeSandbox
            {
                Id = id,
                OrganizationId = OrganizationId,
                Name = name,
                Snapshot = request.BuildInfo is null ? (request.Snapshot is { Length: > 0 } snapshot ? snapshot : DefaultSnapshot) : "",
                User = request.User ?? "daytona",
                Env = request.Env,
                Labels = request.Labels,
                Public = request.Public,
                NetworkBlockAll = request.NetworkBlockAll,
                NetworkAllowList = request.NetworkAllowList,
                DomainAllowList = request.DomainAllowList,
                Target = request.Target ?? "us",
                Cpu = cpu,
                Gpu = request.Gpu ?? 0,
                Memory = request.Memory ?? 1,
                Disk = request.Disk ?? 3,
                BuildInfo = request.BuildInfo?.DeepClone().AsObject(),
                State = request.BuildInfo is null ? SandboxStates.Creating : SandboxStates.PendingBuild,
                DesiredState = SandboxStates.Started,
                AutoStopInterval = request.AutoStopInterval ?? 15,
                AutoArchiveInterval = ArchiveInterval(request.AutoArchiveInterval ?? 10080),
                AutoDeleteInterval = request.AutoDeleteInterval ?? -1,
                CreatedAt = now,
                UpdatedAt = now,
                LastActivityAt = now,
                ToolboxProxyUrl = toolboxProxyUrl(),
                WorkingDirectory = Directory.CreateDirectory(Path.Combine(root, id)).FullName,
                Pending = failure is null
                    ? new PendingTransition(SandboxStates.Started, GetsUntilStarted)
                    : new PendingTransition(SandboxStates.Error, GetsUntilStarted, failure),
            };
            _sandboxes.Add(sandbox);
            if (sandbox.Pending.GetsLeft <= 0) Complete(sandbox);
            return sandbox.ToJson();
        }
    }

    /// <summary><c>GET /sandbox/{idOrName}</c>: counts towards a pending change, then answers; 404 once destroyed.</summary>
    public JsonObject Get(string idOrName)
    {
        lock (_gate)
        {
            var sandbox = Find(idOrName);
            if (sandbox.Pending is { } pending)
            {
                sandbox.Pending = pending with { GetsLeft = pending.GetsLeft - 1 };
                if (pending.GetsLeft <= 1) Complete(sandbox);
            }

            return sandbox.IsDestroyed ? throw NotFound(idOrName) : sandbox.ToJson();
        }
    }

    /// <summary>Soft delete: <c>desiredState=destroyed</c>, renamed <c>DESTROYED_&lt;name&gt;_&lt;ms&gt;</c>; the answer shows the old state.</summary>
    public JsonObject Delete(string idOrName)
    {
        lock (_gate)
        {
            var sandbox = Find(idOrName);
            RefuseWhilePending(sandbox);
            return BeginDestroy(sandbox);
        }
    }

    public JsonObject Stop(string idOrName)
    {
        lock (_gate)
        {
            var sandbox = Find(idOrName);
            RefuseWhilePending(sandbox);
            if (sandbox.State != SandboxStates.Started) throw new DaytonaException(400, "Sandbox is not started");
            sandbox.KillProcesses();
            if (sandbox.IsEphemeral) return BeginDestroy(sandbox);
            var answer = Change(sandbox, SandboxStates.Stopped, SandboxStates.Stopping, GetsUntilStopped);
            return answer;
        }
    }

    public JsonObject Start(string idOrName)
    {
        lock (_gate)
        {
            var sandbox = Find(idOrName);
            RefuseWhilePending(sandbox);
            if (sandbox.State == SandboxStates.Started) return sandbox.ToJson();
            if (sandbox.State != SandboxStates.Stopped) throw new DaytonaException(400, "Sandbox is not in a valid state to be started");
            return Change(sandbox, SandboxStates.Started, SandboxStates.Starting, GetsUntilStarted);
        }
    }

    public JsonObject Update(string idOrName, Action<FakeSandbox> update)
    {
        lock (_gate)
        {
            var sandbox = Find(idOrName);
            update(sandbox);
            sandbox.UpdatedAt = time.GetUtcNow();
            return sandbox.ToJson();
        }
    }

    /// <summary>Destroys a sandbox at once, as if someone else deleted it: GET answers 404 from now on.</summary>
    public void DestroyNow(string idOrName)
    {
        lock (_gate)
        {
            var sandbox = Find(idOrName);
            sandbox.Name = $"DESTROYED_{sandbox.Name}_{time.GetUtcNow().ToUnixTimeMilliseconds()}";
            sandbox.DesiredState = SandboxStates.Destroyed;
            sandbox.Pending = new PendingTransition(SandboxStates.Destroyed, 0);
            Complete(sandbox);
        }
    }

    /// <summary>The sandbox a toolbox request names, by ID (the proxy path carries the ID).</summary>
    public FakeSandbox ForToolbox(string sandboxId, bool touch)
    {
        lock (_gate)
        {
            var sandbox = _sandboxes.FirstOrDefault(s => s.Id == sandboxId && !s.IsDestroyed)
                ?? throw new DaytonaException(404, $"sandbox {sandboxId} not found");
            if (sandbox.State != SandboxStates.Started) throw new DaytonaException(400, $"sandbox {sandboxId} is not started (state {sandbox.State})");
            if (touch) sandbox.LastActivityAt = time.GetUtcNow();
            return sandbox;
        }
    }

    public IReadOnlyList<FakeSandbox> Live()
    {
        lock (_gate) return [.. _sandboxes.Where(s => !s.IsDestroyed)];
    }

    /// <summary><c>SandboxListItem</c> snapshots of the sandboxes a list shows: not destroyed, errored-deleted only if asked.</summary>
    public IReadOnlyList<JsonObject> ListItems(bool includeErroredDeleted)
    {
        lock (_gate)
        {
            return [.. _sandboxes
                .Where(s => !s.IsDestroyed)
                .Where(s => includeErroredDeleted || !(s.State == SandboxStates.Error && s.DesiredState == SandboxStates.Destroyed))
                .Select(s => s.ToJson(listItem: true))];
        }
    }

    public FakeSandbox? Any(string idOrName)
    {
        lock (_gate) return _sandboxes.FirstOrDefault(s => s.Id == idOrName) ?? _sandboxes.FirstOrDefault(s => s.Name == idOrName);
    }

    public JsonObject Snapshot(FakeSandbox sandbox, bool listItem)
    {
        lock (_gate) return sandbox.ToJson(listItem);
    }

    public static int ArchiveInterval(int minutes) => minutes == 0 ? MaxAutoArchiveInterval : Math.Min(minutes, MaxAutoArchiveInterval);

    /// <summary>ID first, then name; destroyed ones and errored ones on their way to destruction are skipped.</summary>
    private FakeSandbox Find(string idOrName)
    {
        var visible = _sandboxes.Where(s => !s.IsDestroyed && !(s.State == SandboxStates.Error && s.DesiredState == SandboxStates.Destroyed)).ToList();
        return visible.FirstOrDefault(s => s.Id == idOrName) ?? visible.FirstOrDefault(s => s.Name == idOrName) ?? throw NotFound(idOrName);
    }

    private static DaytonaException NotFound(string idOrName) => new(404, $"Sandbox with ID or name {idOrName} not found");

    private static void RefuseWhilePending(FakeSandbox sandbox)
    {
        if (sandbox.Pending is not null) throw new DaytonaException(409, "Sandbox state change in progress");
    }

    private JsonObject BeginDestroy(FakeSandbox sandbox)
    {
        sandbox.Name = $"DESTROYED_{sandbox.Name}_{time.GetUtcNow().ToUnixTimeMilliseconds()}";
        var answer = Change(sandbox, SandboxStates.Destroyed, SandboxStates.Destroying, GetsUntilDestroyed);
        sandbox.KillProcesses();
        return answer;
    }

    /// <summary>Sets the desired state and answers with the state as it was; later GETs show <paramref name="meanwhile"/>.</summary>
    private JsonObject Change(FakeSandbox sandbox, string desired, string meanwhile, int gets)
    {
        sandbox.DesiredState = desired;
        sandbox.UpdatedAt = time.GetUtcNow();
        var answer = sandbox.ToJson();
        sandbox.State = meanwhile;
        sandbox.Pending = new PendingTransition(desired, gets);
        if (gets <= 0) Complete(sandbox);
        return answer;
    }

    /// <summary>Lets time pass for every sandbox: each pending change (creating, stopping, destroying) completes now.</summary>
    public void SettleAll()
    {
        lock (_gate)
        {
            foreach (var sandbox in Live().Where(s => s.Pending is not null).ToList()) Complete(sandbox);
        }
    }

    private void Complete(FakeSandbox sandbox)
    {
        var pending = sandbox.Pending!;
        sandbox.State = pending.State;
        sandbox.ErrorReason = pending.ErrorReason;
        sandbox.Pending = null;
        sandbox.UpdatedAt = time.GetUtcNow();
        if (sandbox.State is SandboxStates.Destroyed or SandboxStates.Stopped or SandboxStates.Error) sandbox.KillProcesses();
        if (sandbox.State == SandboxStates.Destroyed) sandbox.Sessions.Clear();
    }
}
