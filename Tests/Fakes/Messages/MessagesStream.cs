using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes.Messages;

/// <summary>
/// Writes one answer as the Messages API streams it (<c>stream: true</c>): <c>message_start</c>, a <c>ping</c>, the
/// content block (<c>content_block_start</c>, its deltas, <c>content_block_stop</c>), <c>message_delta</c> with the
/// stop reason and the output usage, <c>message_stop</c>; each event flushed as it is written.
/// </summary>
internal static class MessagesStream
{
    public static async Task WriteAsync(HttpContext context, string model, string messageId, ModelTurn turn, string workingDirectory)
    {
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["request-id"] = "req_" + messageId;

        await EventAsync(context, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = messageId, ["type"] = "message", ["role"] = "assistant", ["model"] = model,
                ["content"] = new JsonArray(), ["stop_reason"] = null, ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = 40, ["output_tokens"] = 1 },
            },
        });
        await EventAsync(context, "ping", new JsonObject { ["type"] = "ping" });

        var (block, deltas, stopReason) = turn switch
        {
            TextTurn text => (new JsonObject { ["type"] = "text", ["text"] = "" },
                Halves(text.Text).Select(part => new JsonObject { ["type"] = "text_delta", ["text"] = part }), "end_turn"),
            ToolTurn tool => (new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_" + messageId, ["name"] = tool.Tool, ["input"] = new JsonObject() },
                Halves(tool.Input(workingDirectory).ToJsonString()).Select(part => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = part }), "tool_use"),
            _ => throw new InvalidOperationException($"{turn} is not streamed."),
        };
        await EventAsync(context, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = block });
        foreach (var delta in deltas)
            await EventAsync(context, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = delta });
        await EventAsync(context, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        await EventAsync(context, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = turn.OutputTokens },
        });
        await EventAsync(context, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    /// <summary>The real API splits text and tool input over several deltas; the client has to join them.</summary>
    private static string[] Halves(string text) => text.Length < 2 ? [text] : [text[..(text.Length / 2)], text[(text.Length / 2)..]];

    private static async Task EventAsync(HttpContext context, string name, JsonObject data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n");
        await context.Response.Body.FlushAsync();
    }
}
