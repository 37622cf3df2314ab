using System.Runtime.InteropServices;

namespace Imprint.Agent.Appliance;

/// <summary>
/// Owns one <c>guestfs_h*</c>. Releasing it calls <c>guestfs_close</c>, which also kills the appliance VM if it still
/// runs (a crash or cancellation never leaves a qemu behind).
/// </summary>
internal sealed class GuestfsHandle : SafeHandle
{
    public GuestfsHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static GuestfsHandle Create()
    {
        var handle = new GuestfsHandle();
        var raw = GuestfsNative.CreateFlags(GuestfsNative.CreateNoEnvironment);
        if (raw == IntPtr.Zero)
        {
            throw new ApplianceException("guestfs_create_flags", null, 0, "libguestfs could not create a handle (out of memory or a broken installation)");
        }

        handle.SetHandle(raw);

        // Errors are read with guestfs_last_error and become exceptions; the default handler would also print them.
        GuestfsNative.SetErrorHandler(raw, IntPtr.Zero, IntPtr.Zero);
        return handle;
    }

    protected override bool ReleaseHandle()
    {
        GuestfsNative.Close(handle);
        return true;
    }
}
