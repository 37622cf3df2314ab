using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Inspection;

/// <summary>
/// Reads a Linux guest's facts from its root filesystem, the way virt-inspector does: os-release with fallbacks,
/// the architecture from an ELF header, hostname, init system, package format and network configuration style.
/// </summary>
public static class GuestInspector
{
    /// <summary>A root filesystem has /etc/os-release or /etc/fstab, and /usr.</summary>
    public static async Task<bool> LooksLikeRootAsync(IGuestReader guest, CancellationToken cancellationToken)
    {
        var hasEtc = await ExistsAsync(guest, "/etc/os-release", cancellationToken).ConfigureAwait(false)
            || await ExistsAsync(guest, "/usr/lib/os-release", cancellationToken).ConfigureAwait(false)
            || await ExistsAsync(guest, "/etc/fstab", cancellationToken).ConfigureAwait(false);
        return hasEtc && await ExistsAsync(guest, "/usr", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every file inspection may read, fetched together up front.</summary>
    public static IReadOnlyList<string> FilesRead { get; } =
    [
        "/etc/os-release", "/usr/lib/os-release", "/etc/debian_version", "/etc/redhat-release", "/etc/alpine-release",
        "/etc/SuSE-release", "/etc/hostname", "/etc/HOSTNAME", "/etc/sysconfig/network", "/etc/fstab", "/etc/selinux/config",
        "/bin/sh", "/usr/bin/bash", "/bin/bash", "/bin/busybox", "/usr/bin/env",
    ];

    /// <summary>Paths inspection only tests for existence, stat'ed together up front.</summary>
    public static IReadOnlyList<string> PathsTested { get; } =
    [
        "/usr", "/usr/lib/systemd/systemd", "/lib/systemd/systemd", "/sbin/openrc", "/sbin/openrc-run", "/usr/sbin/openrc",
        "/sbin/initctl", "/etc/init/rc-sysinit.conf", "/etc/inittab", "/var/lib/dpkg/status", "/usr/bin/dpkg",
        "/var/lib/rpm", "/usr/lib/sysimage/rpm", "/usr/bin/rpm", "/bin/rpm", "/sbin/apk", "/lib/apk/db/installed",
        "/etc/apk/world", "/usr/bin/pacman", "/var/lib/pacman", "/usr/sbin/netplan", "/usr/sbin/NetworkManager",
        "/etc/network/interfaces", "/usr/sbin/wicked", "/etc/systemd/system/network.service", "/etc/cloud/cloud.cfg", "/usr/bin/cloud-init", "/etc/resolv.conf",
    ];

    public static async Task<GuestFacts> InspectAsync(IGuestReader guest, CancellationToken cancellationToken)
    {
        await guest.PrefetchAsync(FilesRead, PathsTested, cancellationToken).ConfigureAwait(false);
        var (distro, version, product, family) = await DistroAsync(guest, cancellationToken).ConfigureAwait(false);
        var resolv = await guest.StatAsync("/etc/resolv.conf", cancellationToken).ConfigureAwait(false);
        return new GuestFacts
        {
            Distro = distro,
            Version = version,
            ProductName = product,
            Family = family,
            Arch = await ArchAsync(guest, cancellationToken).ConfigureAwait(false),
            Hostname = await HostnameAsync(guest, cancellationToken).ConfigureAwait(false),
            InitSystem = await InitSystemAsync(guest, cancellationToken).ConfigureAwait(false),
            PackageFormat = await PackageFormatAsync(guest, cancellationToken).ConfigureAwait(false),
            NetworkStyle = await NetworkStyleAsync(guest, family, cancellationToken).ConfigureAwait(false),
            CloudInit = await AnyExistsAsync(guest, cancellationToken, "/etc/cloud/cloud.cfg", "/usr/bin/cloud-init").ConfigureAwait(false),
            Selinux = SelinuxRelabel.ModeOf(await guest.TryReadTextAsync(SelinuxRelabel.ConfigPath, cancellationToken).ConfigureAwait(false)),
            ResolvConfIsResolvedStub = resolv is { Kind: GuestFileKind.Symlink, SymlinkTarget: { } target }
                && target.Contains("/run/systemd/resolve/", StringComparison.Ordinal),
        };
    }

    /// <summary>Family from os-release ID and ID_LIKE.</summary>
    public static GuestFamily FamilyOf(string id, IEnumerable<string> idLike)
    {
        foreach (var candidate in new[] { id }.Concat(idLike))
        {
            switch (candidate.ToLowerInvariant())
            {
                case "debian" or "ubuntu" or "raspbian" or "linuxmint" or "pop" or "kali":
                    return GuestFamily.Debian;
                case "rhel" or "centos" or "fedora" or "rocky" or "almalinux" or "ol" or "amzn" or "redhat" or "scientific" or "cloudlinux":
                    return GuestFamily.RedHat;
                case "suse" or "opensuse" or "sles" or "sled" or "opensuse-leap" or "opensuse-tumbleweed":
                    return GuestFamily.Suse;
                case "alpine":
                    return GuestFamily.Alpine;
                case "arch" or "archlinux" or "manjaro":
                    return GuestFamily.Arch;
                default:
                    break;
            }
        }

        return GuestFamily.Unknown;
    }

    /// <summary>Architecture name from an ELF header (e_machine and class), as uname -m prints it.</summary>
    public static string? ArchFromElf(ReadOnlySpan<byte> header)
    {
        if (header.Length < 20 || header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            return null;
        }

        var is64 = header[4] == 2;
        var littleEndian = header[5] == 1;
        var machine = littleEndian ? header[18] | (header[19] << 8) : (header[18] << 8) | header[19];
        return machine switch
        {
            0x3E => "x86_64",
            0x03 => "i686",
            0xB7 => "aarch64",
            0x28 => "armv7l",
            0xF3 => is64 ? "riscv64" : "riscv32",
            0x15 => littleEndian ? "ppc64le" : "ppc64",
            0x14 => "ppc",
            0x16 => "s390x",
            0x102 => "loongarch64",
            _ => $"elf-machine-0x{machine:x}",
        };
    }

    private static async Task<(string Distro, string? Version, string? Product, GuestFamily Family)> DistroAsync(IGuestReader guest, CancellationToken ct)
    {
        var osRelease = await guest.TryReadTextAsync("/etc/os-release", ct).ConfigureAwait(false)
            ?? await guest.TryReadTextAsync("/usr/lib/os-release", ct).ConfigureAwait(false);
        if (osRelease is not null)
        {
            var release = OsRelease.Parse(osRelease);
            var id = release.Id ?? "linux";
            var version = release.VersionId;
            if (version is null && id == "debian" && await guest.TryReadTextAsync("/etc/debian_version", ct).ConfigureAwait(false) is { } debianVersion)
            {
                version = debianVersion.Trim(); // testing/sid have no VERSION_ID.
            }

            return (id, version, release.PrettyName ?? release.Name, FamilyOf(id, release.IdLike));
        }

        if (await guest.TryReadTextAsync("/etc/debian_version", ct).ConfigureAwait(false) is { } debian)
        {
            return ("debian", debian.Trim(), $"Debian {debian.Trim()}", GuestFamily.Debian);
        }

        if (await guest.TryReadTextAsync("/etc/redhat-release", ct).ConfigureAwait(false) is { } redhat)
        {
            return (RedHatDistro(redhat), FirstVersion(redhat), redhat.Trim(), GuestFamily.RedHat);
        }

        if (await guest.TryReadTextAsync("/etc/alpine-release", ct).ConfigureAwait(false) is { } alpine)
        {
            return ("alpine", alpine.Trim(), $"Alpine Linux {alpine.Trim()}", GuestFamily.Alpine);
        }

        if (await guest.TryReadTextAsync("/etc/SuSE-release", ct).ConfigureAwait(false) is { } suse)
        {
            var first = suse.Split('\n')[0].Trim();
            var distro = first.Contains("openSUSE", StringComparison.OrdinalIgnoreCase) ? "opensuse" : "sles";
            var version = suse.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("VERSION", StringComparison.Ordinal))?.Split('=').Last().Trim();
            return (distro, version, first, GuestFamily.Suse);
        }

        return ("unknown", null, null, GuestFamily.Unknown);
    }

    private static string RedHatDistro(string release) => release switch
    {
        _ when release.Contains("CentOS", StringComparison.OrdinalIgnoreCase) => "centos",
        _ when release.Contains("Fedora", StringComparison.OrdinalIgnoreCase) => "fedora",
        _ when release.Contains("Rocky", StringComparison.OrdinalIgnoreCase) => "rocky",
        _ when release.Contains("Alma", StringComparison.OrdinalIgnoreCase) => "almalinux",
        _ when release.Contains("Oracle", StringComparison.OrdinalIgnoreCase) => "ol",
        _ => "rhel",
    };

    private static string? FirstVersion(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"\d+(\.\d+)*");
        return match.Success ? match.Value : null;
    }

    private static async Task<string?> ArchAsync(IGuestReader guest, CancellationToken ct)
    {
        foreach (var path in new[] { "/bin/sh", "/usr/bin/bash", "/bin/bash", "/bin/busybox", "/usr/bin/env" })
        {
            if (await guest.TryReadBytesAsync(path, 64, ct).ConfigureAwait(false) is { } header && ArchFromElf(header) is { } arch)
            {
                return arch;
            }
        }

        return null;
    }

    private static async Task<string?> HostnameAsync(IGuestReader guest, CancellationToken ct)
    {
        foreach (var path in new[] { "/etc/hostname", "/etc/HOSTNAME" })
        {
            var text = await guest.TryReadTextAsync(path, ct).ConfigureAwait(false);
            var name = text?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
            if (name is not null)
            {
                return name;
            }
        }

        var network = await guest.TryReadTextAsync("/etc/sysconfig/network", ct).ConfigureAwait(false);
        return network?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("HOSTNAME=", StringComparison.Ordinal))?["HOSTNAME=".Length..].Trim('"');
    }

    private static async Task<string> InitSystemAsync(IGuestReader guest, CancellationToken ct)
    {
        if (await AnyExistsAsync(guest, ct, "/usr/lib/systemd/systemd", "/lib/systemd/systemd").ConfigureAwait(false))
        {
            return "systemd";
        }

        if (await AnyExistsAsync(guest, ct, "/sbin/openrc", "/sbin/openrc-run", "/usr/sbin/openrc").ConfigureAwait(false))
        {
            return "openrc";
        }

        if (await AnyExistsAsync(guest, ct, "/sbin/initctl", "/etc/init/rc-sysinit.conf").ConfigureAwait(false))
        {
            return "upstart";
        }

        return await ExistsAsync(guest, "/etc/inittab", ct).ConfigureAwait(false) ? "sysvinit" : "unknown";
    }

    private static async Task<string> PackageFormatAsync(IGuestReader guest, CancellationToken ct)
    {
        if (await AnyExistsAsync(guest, ct, "/var/lib/dpkg/status", "/usr/bin/dpkg").ConfigureAwait(false))
        {
            return "deb";
        }

        if (await AnyExistsAsync(guest, ct, "/var/lib/rpm", "/usr/lib/sysimage/rpm", "/usr/bin/rpm", "/bin/rpm").ConfigureAwait(false))
        {
            return "rpm";
        }

        if (await AnyExistsAsync(guest, ct, "/sbin/apk", "/lib/apk/db/installed", "/etc/apk/world").ConfigureAwait(false))
        {
            return "apk";
        }

        return await AnyExistsAsync(guest, ct, "/usr/bin/pacman", "/var/lib/pacman").ConfigureAwait(false) ? "pacman" : "unknown";
    }

    private static async Task<string> NetworkStyleAsync(IGuestReader guest, GuestFamily family, CancellationToken ct)
    {
        if ((await guest.GlobAsync("/etc/netplan/*.yaml", ct).ConfigureAwait(false)).Count > 0
            || await AnyExistsAsync(guest, ct, "/usr/sbin/netplan").ConfigureAwait(false))
        {
            return "netplan";
        }

        var ifcfg = (await guest.GlobAsync("/etc/sysconfig/network-scripts/ifcfg-*", ct).ConfigureAwait(false))
            .Where(p => !p.EndsWith("/ifcfg-lo", StringComparison.Ordinal)).ToList();
        if (ifcfg.Count > 0)
        {
            return "ifcfg";
        }

        // SUSE's wicked (Leap/SLES ≤ 15); checked before NetworkManager, which such guests may have installed unused.
        var wicked = (await guest.GlobAsync("/etc/sysconfig/network/ifcfg-*", ct).ConfigureAwait(false))
            .Where(p => !p.EndsWith("/ifcfg-lo", StringComparison.Ordinal)).ToList();
        var networkService = await guest.StatAsync("/etc/systemd/system/network.service", ct).ConfigureAwait(false);
        var networkManagerActive = networkService?.SymlinkTarget?.EndsWith("/NetworkManager.service", StringComparison.Ordinal) == true;
        if (!networkManagerActive && (wicked.Count > 0 || await AnyExistsAsync(guest, ct, "/usr/sbin/wicked").ConfigureAwait(false)))
        {
            return "wicked";
        }

        if ((await guest.GlobAsync("/etc/NetworkManager/system-connections/*", ct).ConfigureAwait(false)).Count > 0
            || await AnyExistsAsync(guest, ct, "/usr/sbin/NetworkManager").ConfigureAwait(false))
        {
            return "networkmanager";
        }

        if ((await guest.GlobAsync("/etc/systemd/network/*.network", ct).ConfigureAwait(false)).Count > 0)
        {
            return "systemd-networkd";
        }

        if (await ExistsAsync(guest, "/etc/network/interfaces", ct).ConfigureAwait(false))
        {
            return family == GuestFamily.Alpine ? "alpine-interfaces" : "ifupdown";
        }

        return family == GuestFamily.RedHat ? "ifcfg" : "unknown";
    }

    private static async Task<bool> ExistsAsync(IGuestReader guest, string path, CancellationToken ct) =>
        await guest.StatAsync(path, ct).ConfigureAwait(false) is not null;

    private static async Task<bool> AnyExistsAsync(IGuestReader guest, CancellationToken ct, params string[] paths)
    {
        foreach (var path in paths)
        {
            if (await ExistsAsync(guest, path, ct).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }
}
