namespace Imprint.Agent.Tests.Support;

/// <summary>
/// A test that needs a real block device (a loop device, which needs root). The project's tests use no loop devices
/// by default; set IMPRINT_LOOP_TESTS=1 on a machine where root may attach them to run these too.
/// </summary>
public sealed class LoopDeviceFactAttribute : FactAttribute
{
    public const string Switch = "IMPRINT_LOOP_TESTS";

    public LoopDeviceFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "1")
        {
            Skip = $"needs a loop device (root); set {Switch}=1 to run";
        }
    }
}
