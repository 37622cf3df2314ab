using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// The file trees of the matrix guests, written to a host folder and packed for guestfish's <c>tar-in</c>: what a
/// seal must clear (machine-id, host keys, logs, leases, shell history) and what customize must find (hostname
/// files, network settings, accounts, zoneinfo, systemd) in each distro's own places.
/// </summary>
public static class TestGuestTrees
{
    public const string GoldenMachineId = "5c1a9d0e7b3f4a2c8d6e1f0a9b8c7d6e";

    public static string Rocky(string root, string rootUuid, string bootUuid, string efiUuid)
    {
        RhelFamily(root, "rocky");
        GuestTrees.Write(root, "etc/os-release", "NAME=\"Rocky Linux\"\nVERSION=\"9.4 (Blue Onyx)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.4\"\nPLATFORM_ID=\"platform:el9\"\nPRETTY_NAME=\"Rocky Linux 9.4 (Blue Onyx)\"\n");
        GuestTrees.Write(root, "etc/rocky-release", "Rocky Linux release 9.4 (Blue Onyx)\n");
        GuestTrees.Write(root, "etc/redhat-release", "Rocky Linux release 9.4 (Blue Onyx)\n");
        GuestTrees.Write(root, "etc/fstab", $"UUID={rootUuid} / xfs defaults 0 0\nUUID={bootUuid} /boot xfs defaults 0 0\nUUID={efiUuid} /boot/efi vfat defaults,uid=0,gid=0,umask=077,shortname=winnt 0 2\n");
        NetworkManager(root);
        GuestTrees.Write(root, "var/lib/NetworkManager/internal-4f1e2d3c-0000-4000-8000-000000000001-eth0.lease", "ADDRESS=10.0.2.15\nNETMASK=255.255.255.0\nSERVER_ADDRESS=10.0.2.2\n");
        return root;
    }

    public static string Rhel(string root, string bootUuid, string efiUuid)
    {
        RhelFamily(root, "rhel");
        GuestTrees.Write(root, "etc/os-release", "NAME=\"Red Hat Enterprise Linux\"\nVERSION=\"8.10 (Ootpa)\"\nID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"8.10\"\nPLATFORM_ID=\"platform:el8\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 8.10 (Ootpa)\"\n");
        GuestTrees.Write(root, "etc/redhat-release", "Red Hat Enterprise Linux release 8.10 (Ootpa)\n");
        GuestTrees.Write(root, "etc/fstab", $"/dev/mapper/rhel-root / xfs defaults 0 0\nUUID={bootUuid} /boot xfs defaults 0 0\nUUID={efiUuid} /boot/efi vfat umask=0077,shortname=winnt 0 2\n/dev/mapper/rhel-swap none swap defaults 0 0\n");
        GuestTrees.Write(root, "etc/sysconfig/network-scripts/ifcfg-eth0", "TYPE=Ethernet\nBOOTPROTO=dhcp\nNAME=eth0\nDEVICE=eth0\nONBOOT=yes\nDHCP_HOSTNAME=golden\n");
        GuestTrees.Write(root, "usr/sbin/NetworkManager", "ELF");
        Directory.CreateDirectory(Path.Combine(root, "etc/NetworkManager/system-connections"));
        GuestTrees.Write(root, "var/lib/dhclient/dhclient-eth0.leases", "lease {\n  interface \"eth0\";\n  fixed-address 10.0.2.15;\n}\n");
        return root;
    }

    public static string Fedora(string root, string btrfsUuid, string bootUuid, string efiUuid)
    {
        Linux(root, "fedora", "/bin/bash");
        GuestTrees.Write(root, "etc/os-release", "NAME=\"Fedora Linux\"\nVERSION=\"41 (Cloud Edition)\"\nID=fedora\nVERSION_ID=41\nPLATFORM_ID=\"platform:f41\"\nPRETTY_NAME=\"Fedora Linux 41 (Cloud Edition)\"\nVARIANT_ID=cloud\n");
        GuestTrees.Write(root, "etc/fedora-release", "Fedora release 41 (Forty One)\n");
        GuestTrees.Write(root, "etc/redhat-release", "Fedora release 41 (Forty One)\n");
        GuestTrees.Write(root, "etc/fstab", $"UUID={btrfsUuid} / btrfs subvol=root,compress=zstd:1 0 0\nUUID={bootUuid} /boot ext4 defaults 1 2\nUUID={btrfsUuid} /home btrfs subvol=home,compress=zstd:1 0 0\nUUID={efiUuid} /boot/efi vfat defaults,umask=0077,shortname=winnt 0 2\n");
        GuestTrees.Write(root, "etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=targeted\n");
        GuestTrees.Write(root, "usr/bin/rpm", "ELF");
        GuestTrees.Write(root, "usr/bin/dnf", "ELF");
        NetworkManager(root);
        GuestTrees.Write(root, "var/lib/NetworkManager/internal-7a2b-eth0.lease", "ADDRESS=10.0.2.15\n");
        GuestTrees.Write(root, "var/log/dnf.log", "dnf history\n");
        return root;
    }

    public static string OpenSuse(string root, string btrfsUuid, string efiUuid)
    {
        Linux(root, "opensuse", "/bin/bash");
        GuestTrees.Write(root, "etc/os-release", "NAME=\"openSUSE Leap\"\nVERSION=\"15.6\"\nID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\nVERSION_ID=\"15.6\"\nPRETTY_NAME=\"openSUSE Leap 15.6\"\nCPE_NAME=\"cpe:/o:opensuse:leap:15.6\"\n");
        // SUSE reads /etc/HOSTNAME; on Leap 15 it is a link to /etc/hostname.
        File.CreateSymbolicLink(Path.Combine(root, "etc/HOSTNAME"), "hostname");
        GuestTrees.Write(root, "etc/fstab", $"UUID={btrfsUuid} / btrfs defaults 0 0\nUUID={btrfsUuid} /home btrfs subvol=/@/home 0 0\nUUID={btrfsUuid} /var btrfs subvol=/@/var 0 0\nUUID={btrfsUuid} /.snapshots btrfs subvol=/@/.snapshots 0 0\nUUID={efiUuid} /boot/efi vfat utf8 0 2\n");
        GuestTrees.Write(root, "etc/sysconfig/network/ifcfg-eth0", "BOOTPROTO='dhcp'\nSTARTMODE='auto'\nDHCLIENT_SET_HOSTNAME='yes'\n");
        GuestTrees.Write(root, "etc/sysconfig/network/ifcfg-lo", "IPADDR='127.0.0.1/8'\nNETMASK='255.0.0.0'\nNETWORK='127.0.0.0'\nSTARTMODE='nfsroot'\nBOOTPROTO='static'\nUSERCONTROL='no'\nFIREWALL='no'\n");
        GuestTrees.Write(root, "etc/sysconfig/network/config", "NETCONFIG_MODULES_ORDER=\"dns-resolver dns-bind ntp-runtime\"\nNETCONFIG_DNS_POLICY=\"auto\"\nNETCONFIG_DNS_STATIC_SERVERS=\"\"\nNETCONFIG_DNS_STATIC_SEARCHLIST=\"\"\n");
        GuestTrees.Write(root, "etc/sysconfig/network/dhcp", "DHCLIENT_SET_HOSTNAME=\"yes\"\n");
        GuestTrees.Write(root, "usr/sbin/wicked", "ELF");
        GuestTrees.Write(root, "usr/bin/zypper", "ELF");
        GuestTrees.Write(root, "usr/bin/rpm", "ELF");
        GuestTrees.Write(root, "var/lib/wicked/lease-eth0-dhcp-ipv4.xml", "<lease><family>ipv4</family><address>10.0.2.15</address></lease>\n");
        GuestTrees.Write(root, "var/log/zypper.log", "zypper history\n");
        GuestTrees.Write(root, "var/lib/zypp/AnonymousUniqueId", "a1b2c3d4-e5f6\n");
        Directory.CreateDirectory(Path.Combine(root, ".snapshots"));
        return root;
    }

    private static void RhelFamily(string root, string user)
    {
        Linux(root, user, "/bin/bash");
        GuestTrees.Write(root, "etc/selinux/config", "# This file controls the state of SELinux on the system.\nSELINUX=enforcing\nSELINUXTYPE=targeted\n");
        GuestTrees.Write(root, "etc/sysconfig/network", "# Created by anaconda\nHOSTNAME=golden\n");
        GuestTrees.Write(root, "usr/bin/rpm", "ELF");
        GuestTrees.Write(root, "usr/bin/dnf", "ELF");
        GuestTrees.Write(root, "var/lib/rpm/rpmdb.sqlite", "SQLite format 3\0");
        GuestTrees.Write(root, "var/log/secure", "sshd[812]: Accepted publickey for " + user + "\n");
        GuestTrees.Write(root, "var/log/audit/audit.log", "type=DAEMON_START msg=audit(1700000000.000:1)\n", 0b110_000_000);
        GuestTrees.Write(root, "var/log/dnf.log", "dnf history\n");
        GuestTrees.Write(root, "var/log/anaconda/anaconda.log", "installer log\n");
        GuestTrees.Write(root, "root/anaconda-ks.cfg", "rootpw --iscrypted $6$x$y\n", 0b110_000_000);
    }

    private static void NetworkManager(string root)
    {
        GuestTrees.Write(root, "usr/sbin/NetworkManager", "ELF");
        GuestTrees.Write(root, "etc/NetworkManager/system-connections/cloud-init-eth0.nmconnection", "[connection]\nid=cloud-init eth0\nuuid=1dd9a779-d327-56e1-8454-c65e2556c12c\ntype=ethernet\ninterface-name=eth0\n\n[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n", 0b110_000_000);
    }

    /// <summary>What every systemd Linux guest has: usrmerge links, accounts, zoneinfo, ssh keys, logs, history.</summary>
    private static void Linux(string root, string user, string shell)
    {
        foreach (var dir in new[] { "usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "boot", "proc", "sys", "dev", "run", "tmp", "var/tmp", "mnt", "srv", "opt", "root" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.CreateSymbolicLink(Path.Combine(root, "bin"), "usr/bin");
        File.CreateSymbolicLink(Path.Combine(root, "sbin"), "usr/sbin");
        File.CreateSymbolicLink(Path.Combine(root, "lib"), "usr/lib");
        File.CreateSymbolicLink(Path.Combine(root, "lib64"), "usr/lib64");
        // Real ELF binaries (the host's) where inspection reads the architecture.
        File.Copy("/usr/bin/true", Path.Combine(root, "usr/bin/bash"));
        File.Copy("/usr/bin/true", Path.Combine(root, "usr/bin/sh"));
        GuestTrees.Write(root, "usr/lib/systemd/systemd", "ELF", 0b111_101_101);
        Directory.CreateDirectory(Path.Combine(root, "etc/systemd/system/multi-user.target.wants"));
        GuestTrees.Write(root, "etc/hostname", "golden\n");
        GuestTrees.Write(root, "etc/hosts", "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n");
        GuestTrees.Write(root, "etc/passwd", $"root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\nsshd:x:74:74:Privilege-separated SSH:/usr/share/empty.sshd:/sbin/nologin\n{user}:x:1000:1000:{user}:/home/{user}:{shell}\n");
        GuestTrees.Write(root, "etc/group", $"root:x:0:\nbin:x:1:\nwheel:x:10:\nssh_keys:x:996:\nsshd:x:74:\n{user}:x:1000:\n");
        GuestTrees.Write(root, "etc/shadow", $"root:!!:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\nsshd:!!:19000::::::\n{user}:!!:19000:0:99999:7:::\n", 0);
        GuestTrees.Write(root, "etc/gshadow", $"root:::\nbin:::\nwheel:::\nssh_keys:!::\nsshd:!::\n{user}:!::\n", 0);
        GuestTrees.Write(root, "etc/login.defs", "UID_MIN 1000\nUID_MAX 60000\nGID_MIN 1000\nGID_MAX 60000\nCREATE_HOME yes\n");
        GuestTrees.Write(root, "etc/skel/.bashrc", "# .bashrc\n");
        GuestTrees.Write(root, "etc/resolv.conf", "# Generated by NetworkManager\nnameserver 10.0.2.3\n");
        GuestTrees.Write(root, "etc/machine-id", GoldenMachineId + "\n", 0b100_100_100);
        GuestTrees.Write(root, "usr/share/zoneinfo/UTC", "TZif2 utc\n");
        GuestTrees.Write(root, "usr/share/zoneinfo/Europe/Berlin", "TZif2 berlin\n");
        GuestTrees.Write(root, "usr/share/zoneinfo/zone.tab", "DE\t+5230+01322\tEurope/Berlin\n");
        File.CreateSymbolicLink(Path.Combine(root, "etc/localtime"), "../usr/share/zoneinfo/UTC");
        HostKeys(root);
        GuestTrees.Write(root, "var/log/messages", "systemd[1]: Started golden.\n");
        GuestTrees.Write(root, "var/log/cloud-init.log", "cloud-init ran\n");
        Directory.CreateDirectory(Path.Combine(root, "var/log/journal"));
        GuestTrees.Write(root, "root/.bash_history", "dnf update -y\n", 0b110_000_000);
        GuestTrees.Write(root, $"home/{user}/.bash_history", "sudo -i\n", 0b110_000_000);
        GuestTrees.Write(root, $"home/{user}/.bashrc", "# .bashrc\n");
        GuestTrees.Write(root, "boot/loader/entries/golden.conf", "title golden\n");
    }

    private static void HostKeys(string root)
    {
        var ssh = Path.Combine(root, "etc/ssh");
        Directory.CreateDirectory(ssh);
        GuestTrees.Write(root, "etc/ssh/sshd_config", "PermitRootLogin prohibit-password\n");
        foreach (var type in new[] { "ed25519", "ecdsa" })
        {
            Sh.Run("ssh-keygen", "-q", "-t", type, "-N", string.Empty, "-C", "golden", "-f", Path.Combine(ssh, $"ssh_host_{type}_key"));
        }
    }
}
