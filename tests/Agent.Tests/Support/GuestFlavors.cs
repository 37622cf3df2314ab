namespace Imprint.Agent.Tests.Support;

/// <summary>Guest roots of the four families the customizer must handle, built on the host for <c>mkfs -d</c>.</summary>
public static class GuestFlavors
{
    public static string Debian(string root)
    {
        GuestTrees.DebianLike(root);
        Systemd(root);
        GuestTrees.Write(root, "usr/share/zoneinfo/Europe/Berlin", "TZif2 berlin\n");
        GuestTrees.Write(root, "usr/share/zoneinfo/UTC", "TZif2 utc\n");
        GuestTrees.Write(root, "usr/share/zoneinfo/zone.tab", "# tzdb timezone descriptions\nDE\t+5230+01322\tEurope/Berlin\n");
        GuestTrees.Write(root, "var/lib/dpkg/status", "Package: base-files\n");
        return root;
    }

    public static string Ubuntu(string root)
    {
        Debian(root);
        GuestTrees.Write(root, "etc/os-release", "NAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu 24.04 LTS\"\n");
        File.Delete(Path.Combine(root, "etc/network/interfaces"));
        File.Delete(Path.Combine(root, "etc/resolv.conf"));
        File.CreateSymbolicLink(Path.Combine(root, "etc/resolv.conf"), "../run/systemd/resolve/stub-resolv.conf");
        GuestTrees.Write(root, "etc/netplan/50-cloud-init.yaml", "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n", 0b110_000_000);
        return root;
    }

    public static string Rocky(string root)
    {
        GuestTrees.Write(root, "etc/os-release", "NAME=\"Rocky Linux\"\nVERSION_ID=\"9.4\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nPRETTY_NAME=\"Rocky Linux 9.4 (Blue Onyx)\"\n");
        GuestTrees.Write(root, "etc/redhat-release", "Rocky Linux release 9.4 (Blue Onyx)\n");
        GuestTrees.Write(root, "etc/hostname", "golden\n");
        GuestTrees.Write(root, "etc/hosts", "127.0.0.1   localhost localhost.localdomain\n::1         localhost localhost.localdomain\n");
        GuestTrees.Write(root, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\nrocky:x:1000:1000:Rocky:/home/rocky:/bin/bash\n");
        GuestTrees.Write(root, "etc/group", "root:x:0:\nssh_keys:x:996:\nrocky:x:1000:\n");
        GuestTrees.Write(root, "etc/shadow", "root:!!:19000:0:99999:7:::\nrocky:!!:19000:0:99999:7:::\n", 0);
        GuestTrees.Write(root, "etc/sysconfig/network", "NETWORKING=yes\nHOSTNAME=golden\n");
        GuestTrees.Write(root, "etc/resolv.conf", "nameserver 10.0.2.3\n");
        GuestTrees.Write(root, "etc/machine-id", "\n");
        GuestTrees.Write(root, "usr/sbin/NetworkManager", "ELF");
        GuestTrees.Write(root, "usr/bin/rpm", "ELF");
        GuestTrees.Write(root, "usr/share/zoneinfo/UTC", "TZif2 utc\n");
        Directory.CreateDirectory(Path.Combine(root, "etc/NetworkManager/system-connections"));
        Directory.CreateDirectory(Path.Combine(root, "home/rocky"));
        Directory.CreateDirectory(Path.Combine(root, "etc/ssh"));
        Systemd(root);
        return root;
    }

    /// <summary>Rocky 8 style: legacy ifcfg network scripts, SELinux in the given mode.</summary>
    public static string RockyLegacy(string root, string selinux)
    {
        Rocky(root);
        GuestTrees.Write(root, "etc/os-release", "NAME=\"Rocky Linux\"\nVERSION_ID=\"8.10\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nPRETTY_NAME=\"Rocky Linux 8.10 (Green Obsidian)\"\n");
        GuestTrees.Write(root, "etc/sysconfig/network-scripts/ifcfg-eth0", "DEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\n");
        GuestTrees.Write(root, "etc/selinux/config", $"# This file controls the state of SELinux on the system.\nSELINUX={selinux}\nSELINUXTYPE=targeted\n");
        return root;
    }

    /// <summary>Fedora: NetworkManager keyfiles, SELinux enforcing, no /etc/sysconfig/network.</summary>
    public static string Fedora(string root)
    {
        Rocky(root);
        GuestTrees.Write(root, "etc/os-release", "NAME=\"Fedora Linux\"\nVERSION_ID=41\nID=fedora\nPRETTY_NAME=\"Fedora Linux 41 (Cloud Edition)\"\n");
        File.Delete(Path.Combine(root, "etc/redhat-release"));
        File.Delete(Path.Combine(root, "etc/sysconfig/network"));
        GuestTrees.Write(root, "etc/NetworkManager/system-connections/cloud-init-eth0.nmconnection", "[connection]\nid=cloud-init eth0\n", 0b110_000_000);
        GuestTrees.Write(root, "etc/selinux/config", "SELINUX=enforcing # set by kickstart\nSELINUXTYPE=targeted\n");
        return root;
    }

    /// <summary>openSUSE Leap 15: wicked ifcfg under /etc/sysconfig/network, netconfig, /etc/HOSTNAME.</summary>
    public static string OpenSuse(string root)
    {
        GuestTrees.Write(root, "etc/os-release", "NAME=\"openSUSE Leap\"\nVERSION_ID=\"15.6\"\nID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\nPRETTY_NAME=\"openSUSE Leap 15.6\"\n");
        GuestTrees.Write(root, "etc/hostname", "golden\n");
        GuestTrees.Write(root, "etc/HOSTNAME", "golden\n");
        GuestTrees.Write(root, "etc/hosts", "127.0.0.1\tlocalhost\n");
        GuestTrees.Write(root, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        GuestTrees.Write(root, "etc/group", "root:x:0:\n");
        GuestTrees.Write(root, "etc/shadow", "root:*:19000::::::\n", 0b110_100_000);
        GuestTrees.Write(root, "etc/sysconfig/network/ifcfg-lo", "STARTMODE=nfsroot\nBOOTPROTO=static\n", 0b110_000_000);
        GuestTrees.Write(root, "etc/sysconfig/network/ifcfg-eth0", "BOOTPROTO='dhcp'\nSTARTMODE='auto'\n", 0b110_000_000);
        GuestTrees.Write(root, "etc/sysconfig/network/config", "## Type: string\nNETCONFIG_MODULES_ORDER=\"dns-resolver dns-bind\"\nNETCONFIG_DNS_STATIC_SERVERS=\"\"\n", 0b110_100_100);
        GuestTrees.Write(root, "usr/sbin/wicked", "ELF");
        GuestTrees.Write(root, "usr/bin/rpm", "ELF");
        Systemd(root);
        return root;
    }

    public static string Alpine(string root)
    {
        GuestTrees.Write(root, "etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n");
        GuestTrees.Write(root, "etc/alpine-release", "3.20.3\n");
        GuestTrees.Write(root, "etc/hostname", "golden\n");
        GuestTrees.Write(root, "etc/hosts", "127.0.0.1\tlocalhost localhost.localdomain\n");
        GuestTrees.Write(root, "etc/passwd", "root:x:0:0:root:/root:/bin/ash\nalpine:x:1000:1000::/home/alpine:/bin/ash\n");
        GuestTrees.Write(root, "etc/group", "root:x:0:\nalpine:x:1000:\n");
        GuestTrees.Write(root, "etc/shadow", "root:*::0:::::\nalpine:!::0:::::\n", 0b110_100_000);
        GuestTrees.Write(root, "etc/network/interfaces", "auto lo\niface lo inet loopback\n");
        GuestTrees.Write(root, "etc/resolv.conf", "nameserver 10.0.2.3\n");
        GuestTrees.Write(root, "sbin/openrc", "ELF");
        GuestTrees.Write(root, "sbin/apk", "ELF");
        GuestTrees.Write(root, "usr/share/zoneinfo/UTC", "TZif2 utc\n");
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        Directory.CreateDirectory(Path.Combine(root, "home/alpine"));
        return root;
    }

    private static void Systemd(string root) => GuestTrees.Write(root, "usr/lib/systemd/systemd", "ELF");
}
