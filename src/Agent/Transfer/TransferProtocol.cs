using System.Buffers.Binary;
using System.Security.Cryptography;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Transfer;

/// <summary>Constants and wire helpers of the disk transfer protocol (PROTOCOL.md beside this file).</summary>
public static class TransferProtocol
{
    public const int MaxFrameLength = 4 * 1024 * 1024;
    public const int HeaderLength = 8 + 8 + 8 + 8 + 32;
    public const byte DataFrame = 1;
    public const byte TrailerFrame = 2;
    public const byte AckOk = 1;

    public static ReadOnlySpan<byte> HelloMagic => "IMPRINT1"u8;

    public static ReadOnlySpan<byte> HeaderMagic => "IMPRHDR1"u8;

    /// <summary>SHA-256 over (offset, length) of each extent: both sides compute it from the map they see.</summary>
    public static byte[] MapHash(IEnumerable<ByteRange> extents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> pair = stackalloc byte[16];
        foreach (var extent in extents)
        {
            BinaryPrimitives.WriteInt64LittleEndian(pair, extent.Offset);
            BinaryPrimitives.WriteInt64LittleEndian(pair[8..], extent.Length);
            hash.AppendData(pair);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes; a connection that ends first is a failed transfer.</summary>
    public static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < buffer.Length)
        {
            throw new ImprintException(ExitCode.NotFound, $"the transfer connection closed during the {what}");
        }
    }
}
