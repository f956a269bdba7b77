using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SandboxAgents.Tests.Fakes.Messages;

/// <summary>
/// A conversation the scripted model plays: the answer to each turn (a turn is counted by the assistant messages the
/// request already holds), and a signal for each turn the agent asked for.
/// </summary>
public sealed class ModelScript(Func<int, ModelTurn> turnAt)
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _asked = new();
    private int _requests;

    /// <summary>The turns in order; a request past the last one gets a plain final text.</summary>
    public static ModelScript Of(params ModelTurn[] turns) =>
        new(turn => turn < turns.Length ? turns[turn] : ModelTurn.Say("(the script has no more turns)"));

    /// <summary>A model that never stops: every turn is another tool call, each adding a line to <c>turns.txt</c>.</summary>
    public static ModelScript Endless() =>
        new(turn => ModelTurn.Bash($"echo turn {turn} >> turns.txt", $"Turn {turn}"));

    /// <summary>How many model requests this conversation made.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The model each request of this conversation named, in order.</summary>
    public ConcurrentQueue<string> Models { get; } = new();

    /// <summary>The <c>messages</c> of each request of this conversation, in order, as the agent sent them.</summary>
    public ConcurrentQueue<JsonArray> Conversations { get; } = new();

    /// <summary>Completes once the agent has asked for the answer of turn <paramref name="turn"/> (from 0).</summary>
    public Task AskedForAsync(int turn) => Signal(turn).Task;

    internal ModelTurn Answer(int turn, string model)
    {
        Models.Enqueue(model);
        Interlocked.Increment(ref _requests);
        Signal(turn).TrySetResult();
        return turnAt(turn);
    }

    internal void Record(JsonArray messages) => Conversations.Enqueue((JsonArray)messages.DeepClone());

    private TaskCompletionSource Signal(int turn) => _asked.GetOrAdd(turn, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
