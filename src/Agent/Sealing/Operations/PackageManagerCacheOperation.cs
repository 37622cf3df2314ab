namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove package manager caches (apt, dnf, yum, zypper, apk, pacman).</summary>
public sealed class PackageManagerCacheOperation : DeleteMatchingOperation
{
    public override string Name => "package-manager-cache";

    public override string Description => "Remove package manager caches (apt, dnf, yum, zypper, apk, pacman).";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/cache/apt/archives/*.deb",
        "/var/cache/apt/archives/partial/*",
        "/var/cache/apt/*.bin",
        "/var/lib/apt/lists/partial/*",
        "/var/cache/dnf/*",
        "/var/cache/yum/*",
        "/var/cache/zypp/*",
        "/var/cache/apk/*",
        "/var/cache/pacman/pkg/*",
    ];
}
