using Imprint.Agent.Customization;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization.Users;

/// <summary>User creation end to end on real ext4 images; debugfs and e2fsck are the oracles.</summary>
public sealed class UserAccountPlannerTests : IDisposable
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@imprint";
    private const long Day = 20000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds((Day * 86400) + 3600);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Debian_cloud_guest_gets_a_new_user_with_private_group_skel_keys_and_sudo()
    {
        var (image, offset) = Build(DebianCloud);
        var spec = CustomizationSpecLoader.Parse($$"""
            rootPassword: { lock: true }
            users: [{ name: admin, sshAuthorizedKeys: ["{{Key}}"], groups: [sudo] }]
            files: [{ path: /etc/motd, content: "hi\n", owner: "admin:admin" }]
            sshHostKeys: Keep
            machineId: Keep
            """);

        await GuestCustomization.RunAsync(image, spec, Options(), CancellationToken.None);

        Sh.AssertFsckClean(image, offset);
        // uid 1000 and 1001 are taken, so 1002; gid 1002 is free, so the private group gets the same number.
        Assert.Equal("root:x:0:0:root:/root:/bin/bash\ndebian:x:1000:1000:Debian:/home/debian:/bin/bash\nsvc:x:1001:1001::/srv:/usr/sbin/nologin\nadmin:x:1002:1002::/home/admin:/bin/bash\n", Cat(image, offset, "/etc/passwd"));
        // The root password edit and the new user's line both land in the one /etc/shadow write.
        Assert.Equal($"root:!*:19000:0:99999:7:::\ndebian:!:19000:0:99999:7:::\nadmin:!:{Day}:0:99999:7:::\n", Cat(image, offset, "/etc/shadow"));
        Assert.Equal("root:x:0:\nsudo:x:27:debian,admin\ndebian:x:1000:\nsvc:x:1001:\nadmin:x:1002:\n", Cat(image, offset, "/etc/group"));
        Assert.Equal("root:*::\nsudo:*::debian,admin\ndebian:!::\nsvc:!::\nadmin:!::\n", Cat(image, offset, "/etc/gshadow"));
        AssertStat(image, offset, "/home/admin", "0750", 1002, 1002);
        AssertStat(image, offset, "/home/admin/.bashrc", "0644", 1002, 1002);
        AssertStat(image, offset, "/home/admin/.config", "0700", 1002, 1002);
        AssertStat(image, offset, "/home/admin/.config/app.conf", "0600", 1002, 1002);
        Assert.Equal("# skel bashrc\n", Cat(image, offset, "/home/admin/.bashrc"));
        Assert.Equal("setting=1\n", Cat(image, offset, "/home/admin/.config/app.conf"));
        Assert.Contains("Fast link dest: \"/etc/profile.d/tools.sh\"", Sh.DebugfsStat(image, offset, "/home/admin/.tools"), StringComparison.Ordinal);
        AssertStat(image, offset, "/home/admin/.ssh", "0700", 1002, 1002);
        AssertStat(image, offset, "/home/admin/.ssh/authorized_keys", "0600", 1002, 1002);
        Assert.Equal(Key + "\n", Cat(image, offset, "/home/admin/.ssh/authorized_keys"));
        AssertStat(image, offset, "/etc/motd", "0644", 1002, 1002);
    }

    [Fact]
    public async Task Rocky_guest_without_bash_or_skel_gets_sh_umask_home_mode_and_wheel()
    {
        var (image, offset) = Build(RockyCloud);
        var spec = CustomizationSpecLoader.Parse($$"""
            users:
              - { name: admin, sshAuthorizedKeys: ["{{Key}}"], groups: [wheel] }
              - { name: rocky, groups: [wheel] }
              - { name: ops, uid: 2000, shell: /usr/sbin/nologin, sshAuthorizedKeys: ["{{Key}}"] }
            sshHostKeys: Keep
            machineId: Keep
            """);

        await GuestCustomization.RunAsync(image, spec, Options(), CancellationToken.None);

        Sh.AssertFsckClean(image, offset);
        // uid 1001 is free but gid 1001 is taken by "extra": the private group gets the next free gid, 1002.
        // A group named ops exists already, so ops joins it instead of getting a new one.
        Assert.Equal("root:x:0:0:root:/root:/bin/bash\nrocky:x:1000:1000:Rocky:/home/rocky:/bin/bash\nadmin:x:1001:1002::/home/admin:/bin/sh\nops:x:2000:3000::/home/ops:/usr/sbin/nologin\n", Cat(image, offset, "/etc/passwd"));
        Assert.Equal($"root:!!:19000:0:99999:7:::\nrocky:!!:19000:0:99999:7:::\nadmin:!:{Day}::::::\nops:!:{Day}::::::\n", Cat(image, offset, "/etc/shadow"));
        Assert.Equal("root:x:0:\nwheel:x:10:admin,rocky\nssh_keys:x:996:\nrocky:x:1000:\nextra:x:1001:\nops:x:3000:\nadmin:x:1002:\n", Cat(image, offset, "/etc/group"));
        Assert.Equal("root:::\nwheel:::admin,rocky\nrocky:!!::\nops:!::\nadmin:!::\n", Cat(image, offset, "/etc/gshadow"));
        AssertStat(image, offset, "/home/admin", "0700", 1001, 1002);
        AssertStat(image, offset, "/home/admin/.ssh/authorized_keys", "0600", 1001, 1002);
        AssertStat(image, offset, "/home/ops/.ssh/authorized_keys", "0600", 2000, 3000);
        Assert.DoesNotContain("Mode:", Sh.DebugfsStat(image, offset, "/home/rocky/.ssh"), StringComparison.Ordinal); // no keys asked for
    }

    [Fact]
    public async Task Same_user_spec_twice_changes_nothing_and_dry_run_lists_every_change()
    {
        var (image, offset) = Build(DebianCloud);
        var spec = CustomizationSpecLoader.Parse($$"""
            users: [{ name: admin, sshAuthorizedKeys: ["{{Key}}"], groups: [sudo] }]
            sshHostKeys: Keep
            machineId: Keep
            """);
        var before = Sh.Sha256(image);

        var (dry, _) = await GuestCustomization.RunAsync(image, spec, Options() with { DryRun = true }, CancellationToken.None);

        Assert.Equal(before, Sh.Sha256(image));
        Assert.Equal(
            ["/etc/group", "/etc/gshadow", "/etc/passwd", "/etc/shadow", "/home/admin", "/home/admin/.bashrc", "/home/admin/.config", "/home/admin/.config/app.conf", "/home/admin/.ssh", "/home/admin/.ssh/authorized_keys", "/home/admin/.tools"],
            dry.Changes.Select(c => c.Path).Distinct().Order(StringComparer.Ordinal));
        Assert.All(dry.Changes.Where(c => c.Path.StartsWith("/etc/", StringComparison.Ordinal) || c.Path == "/home/admin"), c => Assert.Equal("users", c.Operation));

        var (first, _) = await GuestCustomization.RunAsync(image, spec, Options(), CancellationToken.None);
        var hash = Sh.Sha256(image);
        var (second, _) = await GuestCustomization.RunAsync(image, spec, Options() with { Now = Now.AddDays(3) }, CancellationToken.None);

        Assert.Equal(dry.Changes.Select(c => c.Path), first.Changes.Select(c => c.Path));
        Assert.Empty(second.Changes);
        Assert.Equal(hash, Sh.Sha256(image));
        Sh.AssertFsckClean(image, offset);
    }

    [Theory]
    [InlineData("users: [{ name: admin, groups: [nosuchgroup] }]", ExitCode.Usage, "group 'nosuchgroup' does not exist")]
    [InlineData("users: [{ name: Admin, groups: [sudo] }]", ExitCode.Usage, "'Admin' is not a valid user name")]
    [InlineData("users: [{ name: admin, uid: 1000, groups: [sudo] }]", ExitCode.Usage, "uid 1000 is taken by user 'debian'")]
    [InlineData("users: [{ name: debian, uid: 1500, groups: [sudo] }]", ExitCode.Usage, "already exists in the guest with uid 1000")]
    [InlineData("users: [{ name: admin, shell: /bin/zsh, groups: [sudo] }]", ExitCode.Usage, "'/bin/zsh' does not exist in the guest")]
    [InlineData("users: [{ name: admin, groups: [sudo, sudo] }]", ExitCode.Usage, "'sudo' is listed twice")]
    [InlineData("users: [{ name: admin, groups: [sudo], home: /srv }]", ExitCode.Usage, "home")]
    public async Task Bad_user_input_is_a_clear_error_and_leaves_the_image_unchanged(string yaml, ExitCode code, string message)
    {
        var (image, _) = Build(DebianCloud);
        var hash = Sh.Sha256(image);

        var error = await Assert.ThrowsAsync<ImprintException>(() =>
            GuestCustomization.RunAsync(image, CustomizationSpecLoader.Parse(yaml), Options(), CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    private static string DebianCloud(string root)
    {
        GuestFlavors.Debian(root);
        GuestTrees.Write(root, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndebian:x:1000:1000:Debian:/home/debian:/bin/bash\nsvc:x:1001:1001::/srv:/usr/sbin/nologin\n");
        GuestTrees.Write(root, "etc/group", "root:x:0:\nsudo:x:27:debian\ndebian:x:1000:\nsvc:x:1001:\n");
        GuestTrees.Write(root, "etc/gshadow", "root:*::\nsudo:*::debian\ndebian:!::\nsvc:!::\n", 0b110_100_000);
        GuestTrees.Write(root, "etc/login.defs", "# login.defs\nUID_MIN\t\t\t 1000\nGID_MIN\t\t\t 1000\nUMASK\t\t022\nHOME_MODE\t0750\nPASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\nPASS_WARN_AGE\t7\n");
        GuestTrees.Write(root, "bin/bash", "ELF", 0b111_101_101);
        GuestTrees.Write(root, "etc/skel/.bashrc", "# skel bashrc\n", 0b110_100_100);
        GuestTrees.Write(root, "etc/skel/.config/app.conf", "setting=1\n", 0b110_000_000);
        File.SetUnixFileMode(Path.Combine(root, "etc/skel/.config"), (UnixFileMode)0b111_000_000);
        File.CreateSymbolicLink(Path.Combine(root, "etc/skel/.tools"), "/etc/profile.d/tools.sh");
        return root;
    }

    private static string RockyCloud(string root)
    {
        GuestFlavors.Rocky(root);
        GuestTrees.Write(root, "etc/group", "root:x:0:\nwheel:x:10:\nssh_keys:x:996:\nrocky:x:1000:\nextra:x:1001:\nops:x:3000:\n");
        GuestTrees.Write(root, "etc/gshadow", "root:::\nwheel:::\nrocky:!!::\nops:!::\n", 0);
        GuestTrees.Write(root, "etc/login.defs", "UMASK 077\n");
        GuestTrees.Write(root, "usr/sbin/nologin", "ELF", 0b111_101_101);
        return root;
    }

    private CustomizeOptions Options() => new() { BaseDirectory = _temp.Path, Now = Now };

    private (string Image, long Offset) Build(Func<string, string> flavor)
    {
        var tree = flavor(_temp.File("tree-" + Guid.NewGuid().ToString("N")));
        var image = _temp.File("disk-" + Guid.NewGuid().ToString("N") + ".raw");
        TestDisks.CreateGpt(image, 48, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        return (image, TestDisks.MakeExt(image, 2, tree: tree));
    }

    private static string Cat(string image, long offset, string path) => Sh.DebugfsCat(image, offset, path);

    private static void AssertStat(string image, long offset, string path, string mode, int uid, int gid)
    {
        var stat = Sh.DebugfsStat(image, offset, path);
        Assert.Contains($"Mode:  {mode}", stat, StringComparison.Ordinal);
        Assert.Matches($"User: +{uid} +Group: +{gid} ", stat);
    }
}
