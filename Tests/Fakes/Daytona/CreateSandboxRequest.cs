using System.Text.Json;
using System.Text.Json.Nodes;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// The <c>CreateSandbox</c> body (API.md §2.1), every field optional. Wrong JSON types give 400 with class-validator
/// style messages ("cpu must be an integer number"), joined by ", " as the API's filter joins them.
/// </summary>
internal sealed record CreateSandboxRequest
{
    public string? Name { get; init; }
    public string? Snapshot { get; init; }
    public string? User { get; init; }
    public Dictionary<string, string> Env { get; init; } = [];
    public Dictionary<string, string> Labels { get; init; } = [];
    public bool Public { get; init; }
    public bool NetworkBlockAll { get; init; }
    public string? NetworkAllowList { get; init; }
    public string? DomainAllowList { get; init; }
    public string? Target { get; init; }
    public int? Cpu { get; init; }
    public int? Gpu { get; init; }
    public int? Memory { get; init; }
    public int? Disk { get; init; }
    public int? AutoStopInterval { get; init; }
    public int? AutoArchiveInterval { get; init; }
    public int? AutoDeleteInterval { get; init; }
    public JsonObject? BuildInfo { get; init; }

    public bool AsksForResources => Cpu is not null || Memory is not null || Disk is not null || Gpu is not null;

    public static CreateSandboxRequest Parse(JsonNode? body)
    {
        body ??= new JsonObject();
        if (body is not JsonObject json) throw new DaytonaException(400, "body must be a JSON object");
        var errors = new List<string>();
        var request = new CreateSandboxRequest
        {
            Name = Text(json, "name", errors),
            Snapshot = Text(json, "snapshot", errors),
            User = Text(json, "user", errors),
            Env = Map(json, "env", errors),
            Labels = Map(json, "labels", errors),
            Public = Flag(json, "public", errors),
            NetworkBlockAll = Flag(json, "networkBlockAll", errors),
            NetworkAllowList = Text(json, "networkAllowList", errors),
            DomainAllowList = Text(json, "domainAllowList", errors),
            Target = Text(json, "target", errors),
            Cpu = Integer(json, "cpu", errors),
            Gpu = Integer(json, "gpu", errors),
            Memory = Integer(json, "memory", errors),
            Disk = Integer(json, "disk", errors),
            AutoStopInterval = Integer(json, "autoStopInterval", errors),
            AutoArchiveInterval = Integer(json, "autoArchiveInterval", errors),
            AutoDeleteInterval = Integer(json, "autoDeleteInterval", errors),
            BuildInfo = json["buildInfo"] as JsonObject,
        };
        if (json["buildInfo"] is JsonObject build && build["dockerfileContent"]?.GetValueKind() != JsonValueKind.String)
            errors.Add("buildInfo.dockerfileContent must be a string");
        if (errors.Count > 0) throw new DaytonaException(400, string.Join(", ", errors));
        return request;
    }

    private static string? Text(JsonObject json, string key, List<string> errors)
    {
        var node = json[key];
        if (node is null) return null;
        if (node.GetValueKind() == JsonValueKind.String) return node.GetValue<string>();
        errors.Add($"{key} must be a string");
        return null;
    }

    private static bool Flag(JsonObject json, string key, List<string> errors)
    {
        var node = json[key];
        if (node is null) return false;
        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return node.GetValue<bool>();
        errors.Add($"{key} must be a boolean value");
        return false;
    }

    private static int? Integer(JsonObject json, string key, List<string> errors)
    {
        var node = json[key];
        if (node is null) return null;
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var value)) return value;
        errors.Add($"{key} must be an integer number");
        return null;
    }

    private static Dictionary<string, string> Map(JsonObject json, string key, List<string> errors)
    {
        var node = json[key];
        if (node is null) return [];
        if (node is JsonObject map && map.All(p => p.Value?.GetValueKind() == JsonValueKind.String))
            return map.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        errors.Add($"{key} must be an object of strings");
        return [];
    }
}
