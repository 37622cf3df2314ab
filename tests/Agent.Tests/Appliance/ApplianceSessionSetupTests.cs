using Imprint.Agent.Appliance;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Appliance;

/// <summary>Handle set-up and the errors that come before any appliance starts (no launch: these cost milliseconds).</summary>
public sealed class ApplianceSessionSetupTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_new_handle_uses_the_direct_backend_whatever_the_environment_says()
    {
        // The handle ignores LIBGUESTFS_BACKEND (GUESTFS_CREATE_NO_ENVIRONMENT); libvirt would need a daemon.
        using var session = ApplianceSession.Create();

        Assert.Equal("direct", session.Backend);
        Assert.False(session.Launched);
    }

    [Fact]
    public void Adding_an_image_that_does_not_exist_fails_with_its_path()
    {
        using var session = ApplianceSession.Create();
        var missing = _temp.File("missing.img");

        var error = Assert.Throws<ApplianceException>(() => session.AddDrive(missing, readOnly: true));

        Assert.Equal("add_drive_opts", error.Call);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.NotEqual(ExitCode.InternalError, error.Code);
    }

    [Fact]
    public void A_guest_call_before_launch_is_refused_with_libguestfs_reason()
    {
        using var session = ApplianceSession.Create();

        var error = Assert.Throws<ApplianceException>(() => session.ReadFile("/etc/hostname"));

        Assert.Contains("launch", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Backend_settings_force_tcg_exactly_when_kvm_cannot_be_opened()
    {
        var kvmOpens = File.Exists("/dev/kvm") && CanOpen("/dev/kvm") && Environment.GetEnvironmentVariable("IMPRINT_APPLIANCE_TCG") != "1";

        Assert.Equal(kvmOpens, ApplianceBackend.KvmUsable);
        Assert.Equal(kvmOpens ? [] : ["force_tcg"], ApplianceBackend.Settings);
    }

    private static bool CanOpen(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
