using Imprint.Agent.Disk;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Disk;

/// <summary>
/// The writer's lock handed to a child QEMU (the libguestfs appliance writes the disk itself): QEMU's own writer open
/// must succeed meanwhile, the kernel's lock table (the oracle) must show we kept byte 100, and the full writer's lock
/// must come back afterwards.
/// </summary>
public sealed class ImageLockHandOverTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_child_qemu_can_write_while_handed_over_and_the_writer_lock_returns_afterwards()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateSparse(image, TestDisks.MiB);
        using var writer = ImageLock.Exclusive(image);
        Assert.NotEqual(0, QemuWrite(image)); // our writer's lock keeps QEMU out

        using (var handover = ImageLock.HandOverToChildWriter(image))
        {
            Assert.NotNull(handover);
            Assert.Equal([("READ", 100L, 100L)], FileLocks.Of(image));
            Assert.Equal(0, QemuWrite(image));
        }

        Assert.Equal([("WRITE", 100L, 204L)], FileLocks.Of(image));
        Assert.NotEqual(0, QemuWrite(image));
    }

    [Fact]
    public void Nothing_is_handed_over_without_a_writer_lock()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateSparse(image, TestDisks.MiB);
        using var reader = ImageLock.Shared(image);

        Assert.Null(ImageLock.HandOverToChildWriter(image));
    }

    private static int QemuWrite(string image) =>
        Sh.RunResult("qemu-io", ["-f", "raw", "-c", "write -P 0x41 0 512", image], accept: [0, 1]).ExitStatus;
}
