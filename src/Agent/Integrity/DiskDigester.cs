using System.Security.Cryptography;

namespace Imprint.Agent.Integrity;

/// <summary>
/// Computes a <see cref="DiskDigest"/> incrementally from a disk's data extents, fed in increasing offset order. The
/// gaps between extents (holes, or zero runs a copy skipped) are hashed as zero bytes by definition, so they are never
/// read, yet the result equals <c>sha256sum</c> of the fully written disk. Copies call <see cref="AppendData"/> with each
/// chunk they already read, so hashing costs no second read.
/// </summary>
public sealed class DiskDigester : IDisposable
{
    // One shared zero block: hashing a hole costs CPU, never I/O or a fresh allocation.
    private static readonly byte[] Zeros = new byte[1024 * 1024];

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    /// <summary>Bytes hashed so far (data and zeros): the next offset <see cref="AppendData"/> may start at.</summary>
    public long Position => _position;

    /// <summary>Hashes <paramref name="data"/> found at <paramref name="offset"/>; zeros fill any gap before it.</summary>
    public void AppendData(long offset, ReadOnlySpan<byte> data)
    {
        if (offset < _position)
        {
            throw new InvalidOperationException($"disk digest: data at {offset} arrived after byte {_position} was already hashed");
        }

        AppendZeros(offset - _position);
        _hash.AppendData(data);
        _position += data.Length;
    }

    /// <summary>Hashes zeros up to <paramref name="diskLength"/> and returns the digest in <see cref="DiskDigest"/> format.</summary>
    public string Finish(long diskLength)
    {
        if (diskLength < _position)
        {
            throw new InvalidOperationException($"disk digest: {_position} bytes hashed, more than the disk's {diskLength}");
        }

        AppendZeros(diskLength - _position);
        return DiskDigest.Format(_hash.GetHashAndReset());
    }

    public void Dispose() => _hash.Dispose();

    private void AppendZeros(long count)
    {
        while (count > 0)
        {
            var length = (int)Math.Min(count, Zeros.Length);
            _hash.AppendData(Zeros, 0, length);
            count -= length;
            _position += length;
        }
    }
}
