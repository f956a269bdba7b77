using System.Text;

namespace SandboxAgents.Sandboxes;

/// <summary>
/// Turns a command's output, arriving in chunks cut anywhere (inside a UTF-8 character, between <c>\r</c> and
/// <c>\n</c>), into lines for a follower: each complete line is handed over without its line ending and capped at
/// <see cref="CommandStatus.MaxLineLength"/>, so a megabyte line costs no more memory than the cap. Not thread-safe:
/// one writer.
/// </summary>
public sealed class OutputLines(Action<string> onLine)
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
    private readonly StringBuilder _line = new();
    private readonly char[] _chars = new char[4096];

    /// <summary>Takes the next bytes; the lines they complete are handed over before this returns.</summary>
    public void Write(ReadOnlySpan<byte> bytes) => Decode(bytes, flush: false);

    /// <summary>The output has ended: a last line without a line ending is handed over too.</summary>
    public void Complete()
    {
        Decode([], flush: true);
        if (_line.Length > 0) Emit();
    }

    private void Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        int decoded;
        do
        {
            _decoder.Convert(bytes, _chars, flush, out var used, out decoded, out _);
            bytes = bytes[used..];
            foreach (var c in _chars.AsSpan(0, decoded))
            {
                if (c == '\n') Emit();
                else if (_line.Length < CommandStatus.MaxLineLength) _line.Append(c);
            }
        }
        while (bytes.Length > 0 || decoded == _chars.Length);
    }

    private void Emit()
    {
        if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
        var line = _line.ToString();
        _line.Clear();
        onLine(line);
    }
}
