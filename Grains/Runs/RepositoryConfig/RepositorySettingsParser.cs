using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SandboxAgents.Runs.RepositoryConfig;

/// <summary>
/// Reads <c>.github/sandbox-agents.yml</c>: one YAML mapping of known keys. Anything else (a syntax error, another
/// document shape, an unknown key, a wrong type, a value out of range, a file too large) is a
/// <see cref="ConfigProblem"/> with its line and column; bad input never throws.
/// </summary>
public static class RepositorySettingsParser
{
    public const int MaxCommands = 20;
    public const int MaxCommandLength = 4_000;
    public const int MaxInstructionsLength = 10_000;
    public const int MaxTurns = 10_000;
    public const decimal MaxBudgetUsd = 10_000m;

    /// <summary>The keys the file may hold, in the order the README lists them.</summary>
    public static readonly IReadOnlyList<string> Keys =
        ["setup", "validate", "model", "maxTurns", "maxBudgetUsd", "timeout", "draft", "instructions", "branchPrefix"];

    /// <summary>The problem of a file larger than <see cref="RepositoryConfigFile.MaxBytes"/>, which is not even read.</summary>
    public static ConfigParse TooLarge() =>
        ConfigParse.Failed(1, 1, $"the file is larger than the {RepositoryConfigFile.MaxBytes / 1024} KiB allowed");

    public static ConfigParse Parse(string text)
    {
        if (text.Length > RepositoryConfigFile.MaxBytes) return TooLarge();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return ConfigParse.Failed(e.Start.Line, e.Start.Column, $"not valid YAML: {Sentence(e)}");
        }

        if (stream.Documents.Count == 0) return ConfigParse.Failed(1, 1, "the file is empty; it must be a mapping of settings");
        if (stream.Documents.Count > 1)
            return ConfigParse.Failed(stream.Documents[1].RootNode.Start.Line, stream.Documents[1].RootNode.Start.Column, "the file must hold one YAML document");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            return At(stream.Documents[0].RootNode, "the file must be a mapping of settings (key: value)");
        return Read(root);
    }

    private static ConfigParse Read(YamlMappingNode root)
    {
        var settings = new RepositorySettings();
        foreach (var (keyNode, value) in root.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || !Keys.Contains(key, StringComparer.Ordinal))
                return At(keyNode, $"unknown key {Name(keyNode)}; the keys are {string.Join(", ", Keys)}");
            var read = ReadKey(settings, key, value);
            if (read.Problem is not null) return read;
            settings = read.Settings!;
        }

        return ConfigParse.Of(settings);
    }

    private static ConfigParse ReadKey(RepositorySettings settings, string key, YamlNode value) => key switch
    {
        "setup" => Commands(key, value, c => settings with { Setup = c }),
        "validate" => Commands(key, value, c => settings with { Validate = c }),
        "model" => Text(key, value, ModelName.MaxLength, ModelName.Problem, t => settings with { Model = t }),
        "instructions" => Text(key, value, MaxInstructionsLength, _ => null, t => settings with { Instructions = t }),
        "branchPrefix" => Text(key, value, BranchPrefix.MaxLength, BranchPrefix.Problem, t => settings with { BranchPrefix = t }),
        "maxTurns" => Plain(key, value, "a whole number from 1 to 10000",
            t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= MaxTurns ? settings with { MaxTurns = n } : null),
        "maxBudgetUsd" => Plain(key, value, "an amount of US dollars above 0 (such as 2.50)",
            t => decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d is > 0 and <= MaxBudgetUsd ? settings with { MaxBudgetUsd = d } : null),
        "draft" => Plain(key, value, "true or false",
            t => t is "true" or "True" or "TRUE" ? settings with { Draft = true } : t is "false" or "False" or "FALSE" ? settings with { Draft = false } : null),
        "timeout" => Scalar(key, value, "a duration above 0 such as 30m, 1h30m, 90s or 01:30:00",
            t => ConfigDuration.TryParse(t, out var d) && d > TimeSpan.Zero ? settings with { Timeout = d } : null),
        _ => throw new InvalidOperationException($"No reader for {key}."),
    };

    /// <summary>A string or a list of strings, none empty.</summary>
    private static ConfigParse Commands(string key, YamlNode value, Func<IReadOnlyList<string>, RepositorySettings> apply)
    {
        if (value is not (YamlSequenceNode or YamlScalarNode) || (value is YamlScalarNode scalarValue && IsNull(scalarValue)))
            return At(value, $"{key} must be a command or a list of commands");
        IReadOnlyList<YamlNode> items = value is YamlSequenceNode sequence ? [.. sequence.Children] : [value];
        if (items.Count > MaxCommands) return At(value, $"{key} may hold at most {MaxCommands} commands");
        var commands = new List<string>();
        foreach (var item in items)
        {
            if (item is not YamlScalarNode { Value: { } command } scalar || IsNull(scalar)) return At(item, $"each of {key}'s commands must be a string");
            if (string.IsNullOrWhiteSpace(command)) return At(item, $"{key} holds an empty command");
            if (command.Length > MaxCommandLength) return At(item, $"each of {key}'s commands has at most {MaxCommandLength} characters");
            if (command.Contains('\0', StringComparison.Ordinal)) return At(item, $"{key} holds a command with a NUL character");
            commands.Add(command);
        }

        return ConfigParse.Of(apply(commands));
    }

    private static ConfigParse Text(string key, YamlNode value, int maxLength, Func<string, string?> problem, Func<string, RepositorySettings> apply)
    {
        if (value is not YamlScalarNode { Value: { } text } scalar || IsNull(scalar) || string.IsNullOrWhiteSpace(text))
            return At(value, $"{key} must be a non-empty string");
        if (text.Length > maxLength) return At(value, $"{key} has at most {maxLength} characters");
        return problem(text) is { } wrong ? At(value, wrong) : ConfigParse.Of(apply(text));
    }

    /// <summary>A number or a boolean: an unquoted scalar, so <c>"50"</c> is a string and refused.</summary>
    private static ConfigParse Plain(string key, YamlNode value, string expected, Func<string, RepositorySettings?> read) =>
        value is YamlScalarNode { Style: ScalarStyle.Plain } ? Scalar(key, value, expected, read) : At(value, $"{key} must be {expected}");

    private static ConfigParse Scalar(string key, YamlNode value, string expected, Func<string, RepositorySettings?> read) =>
        value is YamlScalarNode { Value: { } text } scalar && !IsNull(scalar) && read(text.Trim()) is { } settings
            ? ConfigParse.Of(settings)
            : At(value, $"{key} must be {expected}");

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static ConfigParse At(YamlNode node, string message) => ConfigParse.Failed(node.Start.Line, node.Start.Column, message);

    /// <summary>The key as it may be shown on the issue: short, quoted, letters and digits of it only.</summary>
    private static string Name(YamlNode key)
    {
        if (key is not YamlScalarNode { Value: { } text }) return "(not a plain name)";
        var shown = new string([.. text.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.').Take(40)]);
        return $"'{shown}'";
    }

    /// <summary>YamlDotNet's message without its own position prefix ("(Line: 3, Col: 5, Idx: 20) - (...): ").</summary>
    private static string Sentence(YamlException e)
    {
        var message = e.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        message = cut >= 0 ? message[(cut + 3)..] : message;
        return message.Length > 200 ? message[..200] : message;
    }
}
