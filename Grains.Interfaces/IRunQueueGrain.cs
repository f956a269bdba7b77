using Orleans.Concurrency;

namespace SandboxAgents;

/// <summary>
/// Bounds how many runs hold a sandbox at once (<c>Runs:MaxConcurrent</c>; one grain, key 0). Runs wait in arrival
/// order; the queue is persisted, so it survives restarts.
/// </summary>
[Alias("SandboxAgents.IRunQueueGrain")]
public interface IRunQueueGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Takes a slot for the run if one is free and no earlier run waits; otherwise keeps (or puts) the run in line.
    /// Idempotent: asking again keeps the run's place, and a run that holds a slot keeps it.
    /// </summary>
    [Alias("Acquire")]
    Task<QueueTicket> AcquireAsync(string issue, string runId);

    /// <summary>Gives back the run's slot, or its place in line. Idempotent.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string issue, string runId);

    /// <summary>The runs holding slots and those waiting, in order. No side effects.</summary>
    [Alias("GetLine"), AlwaysInterleave]
    Task<QueueLine> GetLineAsync();
}

/// <summary>Whether a run may start now, or its 1-based place in line.</summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.QueueTicket")]
public sealed record QueueTicket([property: Id(0)] bool Granted, [property: Id(1)] int Position);

[GenerateSerializer, Immutable, Alias("SandboxAgents.QueueLine")]
public sealed record QueueLine([property: Id(0)] IReadOnlyList<string> Running, [property: Id(1)] IReadOnlyList<string> Waiting);
