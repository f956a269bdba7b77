using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// The few fields of a delivery that decide whether it is worth reading whole, picked in one pass of a
/// <see cref="Utf8JsonReader"/> over the raw bytes; nothing else is deserialised and no string is made of the body.
/// The pass goes to the end, so broken JSON is found wherever it is, and a picked field of a type the payload models
/// would refuse (an <c>issue</c> that is not an object, a <c>comment.body</c> that is not a string) makes the delivery
/// not <see cref="WellFormed"/>. Other fields are not looked at: their shape is the models' to check, when a delivery
/// goes on to them. Reading stops at an <c>action</c> not in the acted-on set: nothing after it matters.
/// </summary>
public readonly record struct DeliveryFields(
    string? Action,
    string? SenderLogin,
    bool SenderIsBot,
    bool CommentIsCommand,
    string? LabelName,
    string? ReviewState,
    bool ReviewHasBody,
    string? CheckSuiteConclusion,
    string? WorkflowRunConclusion,
    bool WellFormed)
{
    private const int StackLimit = 512;

    /// <summary>Bodies that are not JSON, or not an object.</summary>
    public static readonly DeliveryFields Broken = new() { WellFormed = false };

    public static DeliveryFields Read(ReadOnlySpan<byte> body, string commandPrefix, FrozenSet<string> actedOn)
    {
        var picked = new Picked { WellFormed = true };
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Broken;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("action"u8))
                {
                    var action = ReadString(ref reader, ref picked);
                    picked.Action ??= action;
                    if (action is not null && !actedOn.Contains(action)) return picked.Fields;
                }
                else if (reader.ValueTextEquals("sender"u8)) Sender(ref reader, ref picked);
                else if (reader.ValueTextEquals("comment"u8)) Comment(ref reader, ref picked, commandPrefix);
                else if (reader.ValueTextEquals("label"u8)) Label(ref reader, ref picked);
                else if (reader.ValueTextEquals("review"u8)) Review(ref reader, ref picked);
                else if (reader.ValueTextEquals("check_suite"u8)) picked.CheckSuiteConclusion = Conclusion(ref reader, ref picked);
                else if (reader.ValueTextEquals("workflow_run"u8)) picked.WorkflowRunConclusion = Conclusion(ref reader, ref picked);
                else if (reader.ValueTextEquals("issue"u8) || reader.ValueTextEquals("installation"u8)
                    || reader.ValueTextEquals("repository"u8) || reader.ValueTextEquals("pull_request"u8)) SkipObject(ref reader, ref picked);
                else Skip(ref reader);
            }

            // The root object is closed; anything after it but white space is not JSON.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? picked.Fields : Broken;
        }
        catch (JsonException)
        {
            return Broken;
        }
    }

    private static void Sender(ref Utf8JsonReader reader, ref Picked picked)
    {
        if (!EnterObject(ref reader, ref picked)) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("login"u8)) picked.SenderLogin = ReadString(ref reader, ref picked);
            else if (reader.ValueTextEquals("type"u8)) picked.SenderIsBot = ReadStringIs(ref reader, ref picked, "Bot"u8);
            else Skip(ref reader);
        }
    }

    private static void Comment(ref Utf8JsonReader reader, ref Picked picked, string commandPrefix)
    {
        if (!EnterObject(ref reader, ref picked)) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("body"u8)) picked.CommentIsCommand = AskText(ref reader, ref picked, commandPrefix, static (text, prefix) => CommentText.IsCommand(text, prefix));
            else Skip(ref reader);
        }
    }

    private static void Label(ref Utf8JsonReader reader, ref Picked picked)
    {
        if (!EnterObject(ref reader, ref picked)) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8)) picked.LabelName = ReadString(ref reader, ref picked);
            else Skip(ref reader);
        }
    }

    private static void Review(ref Utf8JsonReader reader, ref Picked picked)
    {
        if (!EnterObject(ref reader, ref picked)) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("state"u8)) picked.ReviewState = ReadString(ref reader, ref picked);
            else if (reader.ValueTextEquals("body"u8)) picked.ReviewHasBody = AskText(ref reader, ref picked, "", static (text, _) => CommentText.HasText(text));
            else Skip(ref reader);
        }
    }

    private static string? Conclusion(ref Utf8JsonReader reader, ref Picked picked)
    {
        string? conclusion = null;
        if (!EnterObject(ref reader, ref picked)) return conclusion;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("conclusion"u8)) conclusion = ReadString(ref reader, ref picked);
            else Skip(ref reader);
        }

        return conclusion;
    }

    /// <summary>Moves to the property's value; true when it is an object (the reader is then inside it). Null is allowed, anything else is not.</summary>
    private static bool EnterObject(ref Utf8JsonReader reader, ref Picked picked)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject) return true;
        if (reader.TokenType != JsonTokenType.Null) picked.WellFormed = false;
        reader.Skip();
        return false;
    }

    private static void SkipObject(ref Utf8JsonReader reader, ref Picked picked)
    {
        if (EnterObject(ref reader, ref picked)) reader.Skip();
    }

    /// <summary>Skips the property's value, whatever it is.</summary>
    private static void Skip(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>The property's value as a string; null for JSON null, and for anything else, which is not well formed.</summary>
    private static string? ReadString(ref Utf8JsonReader reader, ref Picked picked)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        if (reader.TokenType != JsonTokenType.Null) picked.WellFormed = false;
        reader.Skip();
        return null;
    }

    private static bool ReadStringIs(ref Utf8JsonReader reader, ref Picked picked, ReadOnlySpan<byte> expected)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.ValueTextEquals(expected);
        if (reader.TokenType != JsonTokenType.Null) picked.WellFormed = false;
        reader.Skip();
        return false;
    }

    /// <summary>
    /// A question about the property's string value, asked of its unescaped UTF-8 bytes: the reader's own when nothing
    /// is escaped, else a copy on the stack or in a pooled array. False for null; for anything else, not well formed.
    /// </summary>
    private static bool AskText(ref Utf8JsonReader reader, ref Picked picked, string argument, Func<ReadOnlySpan<byte>, string, bool> question)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            if (reader.TokenType != JsonTokenType.Null) picked.WellFormed = false;
            reader.Skip();
            return false;
        }

        if (!reader.ValueIsEscaped) return question(reader.ValueSpan, argument);
        var length = reader.ValueSpan.Length;
        byte[]? rented = null;
        Span<byte> copy = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            return question(copy[..reader.CopyString(copy)], argument);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The fields as they are read.</summary>
    private struct Picked
    {
        public string? Action;
        public string? SenderLogin;
        public bool SenderIsBot;
        public bool CommentIsCommand;
        public string? LabelName;
        public string? ReviewState;
        public bool ReviewHasBody;
        public string? CheckSuiteConclusion;
        public string? WorkflowRunConclusion;
        public bool WellFormed;

        public readonly DeliveryFields Fields => new(
            Action, SenderLogin, SenderIsBot, CommentIsCommand, LabelName, ReviewState, ReviewHasBody, CheckSuiteConclusion, WorkflowRunConclusion, WellFormed);
    }
}
