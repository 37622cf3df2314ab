using System.Runtime.InteropServices;
using Imprint.Agent.Errors;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>
/// A raw disk: an image file or a block device. Every read and write names an explicit offset and is checked to stay
/// inside the disk, so a bad table can never make us touch bytes past its end.
/// </summary>
public sealed class DiskImage : IDisposable
{
    private readonly SafeFileHandle _handle;

    private DiskImage(string path, SafeFileHandle handle, bool writable, bool isBlockDevice, long length)
    {
        Path = path;
        _handle = handle;
        IsWritable = writable;
        IsBlockDevice = isBlockDevice;
        Length = length;
    }

    public string Path { get; }

    public bool IsWritable { get; }

    public bool IsBlockDevice { get; }

    /// <summary>Size of the disk in bytes (file length or device size).</summary>
    public long Length { get; private set; }

    public ByteRange WholeDisk => new(0, Length);

    internal SafeFileHandle Handle => _handle;

    public static DiskImage OpenRead(string path) => Open(path, writable: false);

    public static DiskImage OpenWrite(string path) => Open(path, writable: true);

    public static DiskImage Open(string path, bool writable, bool requireRaw = true)
    {
        SourcePath.RequireFile(path, "disk");

        var isBlock = BlockDevice.IsBlockDevice(path);
        if (writable && !isBlock && (File.GetUnixFileMode(path) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0)
        {
            // Root could write it anyway; a file nobody may write is a file its owner protected on purpose.
            throw ImprintException.NotWritable($"disk '{path}' is read-only (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); refusing to modify it");
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw writable
                ? new ImprintException(ExitCode.NotWritable, $"disk '{path}' is not writable: {ex.Message}", ex)
                : new ImprintException(ExitCode.NotFound, $"disk '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (IOException ex) when (writable && IoErrno.Is(ex, IoErrno.ReadOnlyFileSystem))
        {
            throw new ImprintException(ExitCode.NotWritable, $"disk '{path}' is not writable: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new ImprintException(ExitCode.NotFound, $"disk '{path}' cannot be opened: {ex.Message}", ex);
        }

        try
        {
            if (requireRaw)
            {
                Formats.RawDiskRequirement.Ensure(path, handle);
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        var length = isBlock ? BlockDevice.GetSize(handle) : RandomAccess.GetLength(handle);
        return new DiskImage(path, handle, writable, isBlock, length);
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>.</summary>
    public void ReadExactly(long offset, Span<byte> buffer)
    {
        Check(new ByteRange(offset, buffer.Length));
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(_handle, buffer[done..], offset + done);
            if (read == 0)
            {
                throw ImprintException.InvalidImage($"unexpected end of '{Path}' at byte {offset + done}");
            }

            done += read;
        }
    }

    public byte[] Read(ByteRange range)
    {
        if (range.Length > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(range), "range too large for a single buffer");
        }

        var buffer = new byte[range.Length];
        ReadExactly(range.Offset, buffer);
        return buffer;
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (!IsWritable)
        {
            throw new InvalidOperationException($"disk '{Path}' was opened read-only");
        }

        Check(new ByteRange(offset, data.Length));
        RandomAccess.Write(_handle, data, offset);
    }

    /// <summary>Grows an image file (sparse: the new tail is a hole). Devices cannot grow; asking is an error.</summary>
    public void GrowTo(long newLength)
    {
        if (newLength < Length)
        {
            throw ImprintException.Conflict($"refusing to shrink '{Path}' from {Length} to {newLength} bytes");
        }

        if (newLength == Length)
        {
            return;
        }

        if (IsBlockDevice)
        {
            throw ImprintException.Conflict($"block device '{Path}' is {Length} bytes; it cannot be grown to {newLength}");
        }

        if (!IsWritable)
        {
            throw new InvalidOperationException($"disk '{Path}' was opened read-only");
        }

        FileSizeLimit.SetLength(_handle, Path, newLength);
        Length = newLength;
    }

    /// <summary>Cuts an image file down to <paramref name="newLength"/> bytes (shrink). Devices cannot shrink.</summary>
    public void TruncateTo(long newLength)
    {
        if (newLength > Length || newLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(newLength), $"cannot truncate '{Path}' from {Length} to {newLength} bytes");
        }

        if (IsBlockDevice)
        {
            throw ImprintException.Unsupported($"block device '{Path}' cannot be truncated; shrink works on image files");
        }

        if (!IsWritable)
        {
            throw new InvalidOperationException($"disk '{Path}' was opened read-only");
        }

        RandomAccess.SetLength(_handle, newLength);
        Length = newLength;
    }

    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void Dispose() => _handle.Dispose();

    private void Check(ByteRange range)
    {
        if (!WholeDisk.Contains(range))
        {
            throw ImprintException.InvalidImage($"access {range} lies outside disk '{Path}' of {Length} bytes");
        }
    }
}
