using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Formats;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Disk;

/// <summary>
/// <see cref="ImageLock"/> against the real QEMU (qemu-io, qemu-img) and the kernel's lock table (/proc/locks) as
/// oracles: the bytes we lock are QEMU's, a writer excludes every QEMU opener and vice versa, a reader excludes only
/// writers.
/// </summary>
public sealed class ImageLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _image;

    public ImageLockTests()
    {
        _image = _temp.File("disk.raw");
        Sh.Run("qemu-img", "create", "-f", "raw", _image, "16M");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Writer_lock_is_one_write_lock_over_qemu_bytes_100_to_204()
    {
        using var held = ImageLock.Exclusive(_image);

        // One atomic write lock: QEMU's "uses permission" bytes 100-104 and "refuses permission" bytes 200-204.
        Assert.Equal([("WRITE", 100L, 204L)], FileLocks.Of(_image));
    }

    [Fact]
    public void Reader_lock_holds_the_bytes_of_a_read_only_qemu_user_that_refuses_writers()
    {
        using var held = ImageLock.Shared(_image);

        // 100: consistent read in use; 201, 203: write and resize refused to others.
        Assert.Equal([("READ", 100L, 100L), ("READ", 201L, 201L), ("READ", 203L, 203L)], FileLocks.Of(_image).OrderBy(l => l.Start));
    }

    [Fact]
    public void Qemu_cannot_open_an_image_held_by_a_writer_not_even_read_only_or_force_shared()
    {
        using var held = ImageLock.Exclusive(_image);

        var readWrite = QemuIo("-f", "raw", "-c", "read 0 512", _image);
        var readOnly = QemuIo("-r", "-f", "raw", "-c", "read 0 512", _image);
        var forceShared = QemuIo("-r", "-U", "-f", "raw", "-c", "read 0 512", _image);

        Assert.All([readWrite, readOnly, forceShared], r => Assert.Contains("Failed to lock byte 100", r, StringComparison.Ordinal));
    }

    [Fact]
    public void Qemu_may_read_but_not_write_an_image_held_by_a_reader()
    {
        using var held = ImageLock.Shared(_image);

        var readOnly = QemuIo("-r", "-f", "raw", "-c", "read 0 512", _image);
        var copy = Sh.RunResult("qemu-img", ["convert", "-f", "raw", "-O", "raw", _image, _temp.File("copy.raw")], accept: [0, 1]);
        var readWrite = QemuIo("-f", "raw", "-c", "write 0 512", _image);

        Assert.Contains("read 512/512 bytes", readOnly, StringComparison.Ordinal);
        Assert.Equal(0, copy.ExitStatus);
        Assert.Contains("Failed to get \"write\" lock", readWrite, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Writer_is_refused_while_qemu_holds_the_image(bool qemuReadOnly)
    {
        using var qemu = HeldProcess.QemuIo(_image, qemuReadOnly);
        var before = FileLocks.Of(_image);

        var error = Assert.Throws<ImprintException>(() => ImageLock.Exclusive(_image));

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, FileLocks.Of(_image));
    }

    [Fact]
    public void Reader_is_refused_while_qemu_writes_and_allowed_while_qemu_only_reads()
    {
        using (var writer = HeldProcess.QemuIo(_image, readOnly: false))
        {
            var error = Assert.Throws<ImprintException>(() => ImageLock.Shared(_image));
            Assert.Equal(ExitCode.Conflict, error.Code);
        }

        using var reader = HeldProcess.QemuIo(_image, readOnly: true);
        using var held = ImageLock.Shared(_image);
        Assert.False(held.IsExclusive);
    }

    [Fact]
    public void Acquisitions_in_one_process_nest_and_the_last_release_frees_the_image()
    {
        var outer = ImageLock.Exclusive(_image);
        using (ImageLock.Shared(_image))
        using (ImageLock.Exclusive(_image))
        {
            Assert.Equal([("WRITE", 100L, 204L)], FileLocks.Of(_image));
        }

        Assert.Equal([("WRITE", 100L, 204L)], FileLocks.Of(_image));
        outer.Dispose();
        Assert.Empty(FileLocks.Of(_image));
    }

    [Fact]
    public async Task Qemu_img_converts_into_a_work_file_we_hold_locked_and_the_lock_stays()
    {
        var qcow2 = _temp.File("source.qcow2");
        Sh.Run("qemu-img", "create", "-f", "qcow2", qcow2, "8M");
        QemuIo("-f", "qcow2", "-c", "write -P 0x5a 1M 64k", qcow2);
        var reference = _temp.File("reference.raw");
        Sh.Run("qemu-img", "convert", "-f", "qcow2", "-O", "raw", qcow2, reference);
        var target = _temp.File("target.raw");
        await File.WriteAllBytesAsync(target, []);
        using var held = ImageLock.Exclusive(target);

        await ImageConverter.ConvertToRawAsync(qcow2, target);

        Assert.Equal(Sh.Sha256(reference), Sh.Sha256(target));
        Assert.Equal([("WRITE", 100L, 204L)], FileLocks.Of(target));
    }

    private static string QemuIo(params string[] args)
    {
        var result = Sh.RunResult("qemu-io", args, accept: [0, 1]);
        return result.StandardOutput + result.StandardError;
    }
}
