using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// File transfer (API.md §4.4). Bulk upload streams its multipart body in order: part <c>files[i].path</c> (text)
/// must come before <c>files[i].file</c>; parents are created and files truncated; any error → 400
/// <c>{errors, files}</c>, else 200 <c>{files:[{path, bytes}]}</c>. Download → octet-stream as an attachment, 404
/// when missing, 400 for a directory.
/// </summary>
internal static partial class FileApi
{
    public static void MapFileApi(this RouteGroupBuilder toolbox)
    {
        toolbox.MapPost("/files/bulk-upload", async (HttpContext http) =>
        {
            var sandbox = ToolboxApi.Sandbox(http);
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(http.Request.ContentType ?? "").Boundary).Value
                ?? throw new DaytonaException(400, "request is not multipart/form-data");
            var reader = new MultipartReader(boundary, http.Request.Body);
            var destinations = new Dictionary<string, string>();
            var files = new JsonArray();
            var errors = new JsonArray();
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                var name = ContentDispositionHeaderValue.Parse(section.ContentDisposition ?? "").Name.Value?.Trim('"') ?? "";
                var part = PartName().Match(name);
                if (!part.Success) continue;
                var index = part.Groups["index"].Value;
                if (part.Groups["kind"].Value == "path")
                {
                    destinations[index] = await new StreamReader(section.Body).ReadToEndAsync();
                    continue;
                }

                if (!destinations.TryGetValue(index, out var destination))
                {
                    errors.Add($"files[{index}].file: its files[{index}].path part must come first");
                    continue;
                }

                try
                {
                    var target = SandboxPaths.Resolve(sandbox, destination);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await using var file = File.Create(target);
                    await section.Body.CopyToAsync(file);
                    files.Add(new JsonObject { ["path"] = destination, ["bytes"] = file.Length });
                }
                catch (Exception exception) when (exception is DaytonaException or IOException or UnauthorizedAccessException)
                {
                    errors.Add($"{destination}: {exception.Message}");
                }
            }

            return errors.Count > 0
                ? Results.Json(new JsonObject { ["errors"] = errors, ["files"] = files }, statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(new JsonObject { ["files"] = files });
        });
        toolbox.MapGet("/files/download", (HttpContext http, string? path) =>
        {
            var target = SandboxPaths.Resolve(ToolboxApi.Sandbox(http), path);
            if (Directory.Exists(target)) throw new DaytonaException(400, $"path {path} is a directory");
            if (!File.Exists(target)) throw new DaytonaException(404, $"file {path} not found");
            return Results.File(File.OpenRead(target), "application/octet-stream", Path.GetFileName(target));
        });
    }

    [GeneratedRegex(@"^files\[(?<index>\d+)\]\.(?<kind>path|file)$")]
    private static partial Regex PartName();
}
