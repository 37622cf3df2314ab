using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Appliance;

/// <summary>
/// How the appliance VM is run. Always libguestfs' <c>direct</c> backend (qemu started by libguestfs itself, no
/// libvirt daemon in an agent pod); hardware virtualisation only when <c>/dev/kvm</c> can really be opened read-write,
/// otherwise <c>force_tcg</c>: with an unusable /dev/kvm, qemu's own fallback can hang instead of falling back.
/// Decided here, from the machine, and passed with guestfs_set_backend(_settings) — never taken from LIBGUESTFS_*
/// variables, which the handle ignores (it is created with GUESTFS_CREATE_NO_ENVIRONMENT).
/// </summary>
public static class ApplianceBackend
{
    public const string Name = "direct";

    private static readonly Lazy<bool> Kvm = new(ProbeKvm);

    /// <summary>True when /dev/kvm exists and this process may open it read-write.</summary>
    public static bool KvmUsable => Kvm.Value;

    /// <summary>The backend settings for this machine: <c>force_tcg</c> unless KVM is usable.</summary>
    public static IReadOnlyList<string> Settings => KvmUsable ? [] : ["force_tcg"];

    private static bool ProbeKvm()
    {
        // IMPRINT_APPLIANCE_TCG=1 forces TCG even with a usable /dev/kvm (e.g. a nested host whose KVM misbehaves).
        if (Environment.GetEnvironmentVariable("IMPRINT_APPLIANCE_TCG") == "1")
        {
            return false;
        }

        try
        {
            using SafeFileHandle kvm = File.OpenHandle("/dev/kvm", FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
