namespace Imprint.Agent.Tests.Support;

/// <summary>A test that needs to mount (a tmpfs, a read-only remount): runs where mount works (root), skipped with the reason elsewhere.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (HostAbilities.WhyNoMounts is { } reason)
        {
            Skip = $"needs mount: {reason}";
        }
    }
}
