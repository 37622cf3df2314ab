namespace Imprint.Agent.Guest;

/// <summary>
/// The bytes an edit writes: small ones in memory, large ones in a host file that debugfs reads itself (<c>write
/// HOSTFILE GUESTPATH</c> copies in 64 KiB chunks), so no file's content has to fit in memory. Compared with other
/// contents by streaming. A host file must stay unchanged until the batch is applied.
/// </summary>
internal sealed class GuestFileContent
{
    private const int ChunkBytes = 1 << 16;

    private GuestFileContent(byte[]? bytes, string? hostFile, long length)
    {
        Bytes = bytes;
        HostFile = hostFile;
        Length = length;
    }

    public static GuestFileContent Empty { get; } = new([], null, 0);

    public byte[]? Bytes { get; }

    public string? HostFile { get; }

    public long Length { get; }

    public static GuestFileContent Of(byte[] bytes) => new(bytes, null, bytes.Length);

    public static GuestFileContent FromHostFile(string path) => new(null, path, new FileInfo(path).Length);

    public Stream Open() => Bytes is { } bytes ? new MemoryStream(bytes, writable: false) : File.OpenRead(HostFile!);

    /// <summary>True when <paramref name="other"/> holds exactly these bytes.</summary>
    public bool SameBytes(GuestFileContent other)
    {
        if (other.Length != Length)
        {
            return false;
        }

        using var a = Open();
        using var b = other.Open();
        return SameStreams(a, b);
    }

    /// <summary>A host path debugfs can <c>write</c> from: the host file itself, or the bytes saved to a scratch file.</summary>
    public async Task<string> HostPathAsync(Func<string> scratchFile, CancellationToken cancellationToken)
    {
        if (HostFile is { } path)
        {
            return path;
        }

        var file = scratchFile();
        await File.WriteAllBytesAsync(file, Bytes!, cancellationToken).ConfigureAwait(false);
        return file;
    }

    private static bool SameStreams(Stream a, Stream b)
    {
        var left = new byte[ChunkBytes];
        var right = new byte[ChunkBytes];
        while (true)
        {
            var n = a.ReadAtLeast(left, ChunkBytes, throwOnEndOfStream: false);
            var m = b.ReadAtLeast(right, ChunkBytes, throwOnEndOfStream: false);
            if (n != m || !left.AsSpan(0, n).SequenceEqual(right.AsSpan(0, m)))
            {
                return false;
            }

            if (n < ChunkBytes)
            {
                return true;
            }
        }
    }
}
