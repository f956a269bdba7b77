namespace SandboxAgents.Tests.Gateway;

/// <summary>A request body that counts how often it was read.</summary>
public sealed class ObservedStream(byte[] content) : MemoryStream(content, writable: false)
{
    public int Reads { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Reads++;
        return base.Read(buffer, offset, count);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Reads++;
        return base.ReadAsync(buffer, cancellationToken);
    }
}

/// <summary>A request body whose sender hands over <paramref name="first"/> and then goes quiet until the read is cancelled.</summary>
public sealed class StallingStream(byte[] first) : Stream
{
    private bool _sent;

    public bool Stalled { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_sent)
        {
            _sent = true;
            first.CopyTo(buffer);
            return first.Length;
        }

        Stalled = true;
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
