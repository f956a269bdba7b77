using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// <c>GET /sandbox</c> (API.md §2.3): <c>labels</c> is a JSON object string matched by containment (bad JSON → 400),
/// <c>id</c>/<c>name</c> are prefixes, <c>states</c> may repeat, <c>limit</c> is 1–200 (default 100), and the
/// opaque <c>cursor</c> pages through <c>{items, nextCursor}</c> with nextCursor null on the last page.
/// </summary>
internal static class SandboxListQuery
{
    public static JsonObject Apply(IQueryCollection query, IReadOnlyList<JsonObject> sandboxes)
    {
        var limit = Limit(query["limit"].ToString());
        var offset = Offset(query["cursor"].ToString());
        var labels = Labels(query["labels"].ToString());
        var idPrefix = query["id"].ToString();
        var namePrefix = query["name"].ToString();
        var states = query["states"].Concat(query["states[]"]).OfType<string>().ToHashSet();
        var sort = query["sort"].ToString() is { Length: > 0 } field ? field : "lastActivityAt";
        var ascending = query["order"].ToString() == "asc";

        var matching = sandboxes
            .Where(s => s["id"]!.GetValue<string>().StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase))
            .Where(s => s["name"]!.GetValue<string>().StartsWith(namePrefix, StringComparison.OrdinalIgnoreCase))
            .Where(s => states.Count == 0 || states.Contains(s["state"]!.GetValue<string>()))
            .Where(s => labels.All(l => s["labels"]![l.Key]?.GetValue<string>() == l.Value));
        var ordered = (ascending ? matching.OrderBy(s => SortKey(s, sort)) : matching.OrderByDescending(s => SortKey(s, sort)))
            .ThenBy(s => s["id"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        var page = ordered.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < ordered.Count ? Cursor(offset + page.Count) : null;
        return new JsonObject
        {
            ["items"] = new JsonArray([.. page.Select(s => (JsonNode)s)]),
            ["nextCursor"] = next,
        };
    }

    private static int Limit(string text)
    {
        if (text.Length == 0) return 100;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var limit)) throw new DaytonaException(400, "limit must be a number conforming to the specified constraints");
        if (limit < 1) throw new DaytonaException(400, "limit must not be less than 1");
        if (limit > 200) throw new DaytonaException(400, "limit must not be greater than 200");
        return (int)limit;
    }

    private static Dictionary<string, string> Labels(string text)
    {
        if (text.Length == 0) return [];
        try
        {
            if (JsonNode.Parse(text) is JsonObject labels && labels.All(l => l.Value?.GetValueKind() == JsonValueKind.String))
                return labels.ToDictionary(l => l.Key, l => l.Value!.GetValue<string>());
        }
        catch (JsonException)
        {
        }

        throw new DaytonaException(400, "Invalid label format: labels must be a JSON object of strings");
    }

    private static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{offset}"));

    private static int Offset(string cursor)
    {
        if (cursor.Length == 0) return 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("offset:", StringComparison.Ordinal) && int.TryParse(text[7..], out var offset) && offset >= 0) return offset;
        }
        catch (FormatException)
        {
        }

        throw new DaytonaException(400, "Invalid cursor");
    }

    private static IComparable SortKey(JsonObject sandbox, string sort) => sort switch
    {
        "name" => sandbox["name"]!.GetValue<string>(),
        "cpu" => sandbox["cpu"]!.GetValue<int>(),
        "memoryGib" => sandbox["memory"]!.GetValue<int>(),
        "diskGib" => sandbox["disk"]!.GetValue<int>(),
        "createdAt" => sandbox["createdAt"]!.GetValue<string>(),
        "lastActivityAt" => sandbox["lastActivityAt"]!.GetValue<string>(),
        _ => throw new DaytonaException(400, "sort must be one of the following values: name, cpu, memoryGib, diskGib, lastActivityAt, createdAt"),
    };
}
