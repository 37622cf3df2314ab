namespace Imprint.Agent.Tests.Support;

/// <summary>
/// A test that needs a real block device: it runs wherever a loop device can be attached (CI runs as root), found by
/// attaching one to a small file, and is skipped with the reason elsewhere.
/// </summary>
public sealed class LoopDeviceFactAttribute : FactAttribute
{
    public LoopDeviceFactAttribute()
    {
        if (HostAbilities.WhyNoLoopDevices is { } reason)
        {
            Skip = $"needs a loop device: {reason}";
        }
    }
}
