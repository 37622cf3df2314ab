namespace Imprint.Agent.Tests.Support;

/// <summary>Small guest root trees written to a host folder, to be packed into ext images with <c>mkfs -d</c>.</summary>
public static class GuestTrees
{
    /// <summary>A minimal Debian-like root: os-release, hostname, hosts, passwd/shadow, ifupdown, resolv.conf, ssh keys, logs.</summary>
    public static string DebianLike(string root)
    {
        Write(root, "etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n");
        Write(root, "etc/debian_version", "12.8\n");
        Write(root, "etc/hostname", "golden\n");
        Write(root, "etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tgolden\n\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        Write(root, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndebian:x:1000:1000:Debian:/home/debian:/bin/bash\n");
        Write(root, "etc/group", "root:x:0:\ndebian:x:1000:\n");
        Write(root, "etc/shadow", "root:*:19000:0:99999:7:::\ndebian:!:19000:0:99999:7:::\n", 0b110_100_000);
        Write(root, "etc/fstab", "UUID=00000000-0000-0000-0000-000000000000 / ext4 errors=remount-ro 0 1\n");
        Write(root, "etc/network/interfaces", "auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n");
        Write(root, "etc/resolv.conf", "nameserver 10.0.0.1\n");
        Write(root, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        Write(root, "etc/ssh/ssh_host_ed25519_key", "PRIVATE\n", 0b110_000_000);
        Write(root, "etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAA golden\n");
        Write(root, "etc/ssh/ssh_host_rsa_key", "PRIVATE\n", 0b110_000_000);
        Write(root, "etc/ssh/ssh_host_rsa_key.pub", "ssh-rsa AAAA golden\n");
        Write(root, "var/log/syslog", "boot log\n");
        Write(root, "var/log/apt/history.log", "apt history\n");
        Write(root, "root/.bash_history", "ls\n");
        Write(root, "home/debian/.bashrc", "# bashrc\n");
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        return root;
    }

    public static void Write(string root, string relative, string content, int? mode = null)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (mode is { } m)
        {
            File.SetUnixFileMode(path, (UnixFileMode)m);
        }
    }
}
