using System.Collections.Concurrent;
using System.Text.Json;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// One guest's pass through the CLI, run once per test process and shared by the matrix rows: inspect the golden
/// image; clone it with grow to <see cref="GrownMiB"/>; seal the clone and read it back; customize it with every
/// field of the spec and read it back. Each step runs even when an earlier one failed (on a plain copy if the clone
/// failed), so each row reports on its own step.
/// </summary>
public sealed class GuestMatrixRun
{
    public const long GrownMiB = 3072;
    public const string Hostname = "matrix-01";
    public const string NewUser = "matrix";
    public const uint NewUserUid = 1500;
    private static readonly Lazy<(string User, string File)> Keys = new(() => (NewPublicKey("matrix@imprint"), NewPublicKey("file@imprint")));
    public const string FirstBootCommand = "echo matrix-firstboot > /var/tmp/matrix-firstboot";
    public const string MotdContent = "customized by the guest matrix\n";
    public const string FromFileContent = "copied from a host file\n";
    public const string Base64Text = "#!/bin/sh\necho hello from base64\n";

    private static readonly ConcurrentDictionary<TestGuestKind, Lazy<GuestMatrixRun>> Runs = new();

    /// <summary>A real ed25519 public key line (the agent validates key data) for the new user.</summary>
    public static string UserKey => Keys.Value.User;

    /// <summary>A second real key, given to the guest's existing user through sshAuthorizedKeysFile.</summary>
    public static string FileKey => Keys.Value.File;

    private GuestMatrixRun(TestGuest guest, string work)
    {
        Guest = guest;
        Work = work;
    }

    public TestGuest Guest { get; }

    /// <summary>The grown, sealed, customized clone (kept for the process's lifetime for diagnosis).</summary>
    public string Work { get; }

    public required StepOutcome Inspect { get; init; }

    public required StepOutcome Clone { get; init; }

    public required StepOutcome Seal { get; init; }

    public required StepOutcome Customize { get; init; }

    /// <summary>The clone after grow and seal, read back; null (with the reason) when the read-back itself failed.</summary>
    public required (GuestReadBack? ReadBack, string? Failure) AfterSeal { get; init; }

    public required (GuestReadBack? ReadBack, string? Failure) AfterCustomize { get; init; }

    public static GuestMatrixRun For(TestGuestKind kind) =>
        Runs.GetOrAdd(kind, k => new Lazy<GuestMatrixRun>(() => Execute(k))).Value;

    /// <summary>The spec exercising every field of the customize spec, with its host-side files in <paramref name="folder"/>.</summary>
    public static string Spec(string folder, string existingUser)
    {
        File.WriteAllText(Path.Combine(folder, "root-password"), "matrix-root-password\n");
        File.WriteAllText(Path.Combine(folder, "keys.pub"), FileKey + "\n");
        File.WriteAllText(Path.Combine(folder, "from-file.txt"), FromFileContent);
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Base64Text));
        var spec = Path.Combine(folder, "spec.yaml");
        File.WriteAllText(spec, $"""
            hostname: {Hostname}
            hosts:
              - ip: 10.20.30.1
                hostnames: [gateway.matrix.internal, gateway]
            dns:
              nameservers: [10.20.30.2]
              searches: [matrix.internal]
              options: [edns0]
            rootPassword:
              file: root-password
            users:
              - name: {NewUser}
                uid: {NewUserUid}
                shell: /bin/bash
                groups: [wheel]
                sshAuthorizedKeys: ["{UserKey}"]
              - name: {existingUser}
                sshAuthorizedKeysFile: keys.pub
            sshHostKeys: Regenerate
            machineId: Regenerate
            timezone: Europe/Berlin
            network:
              interfaces:
                - name: eth0
                  addresses: [10.20.30.40/24]
                  gateway4: 10.20.30.1
                  nameservers: [10.20.30.2]
                  searchDomains: [matrix.internal]
                  mtu: 1450
            files:
              - path: /etc/matrix/motd
                content: "customized by the guest matrix\n"
                mode: "0640"
                owner: "{NewUser}:wheel"
              - path: /etc/matrix/from-file
                contentFile: from-file.txt
              - path: /usr/local/bin/matrix-hello
                base64: {base64}
                mode: "0755"
            firstBootCommands:
              - "{FirstBootCommand}"

            """);
        return spec;
    }

    public static string ExistingUser(TestGuestKind kind) => kind switch
    {
        TestGuestKind.RockyXfs => "rocky",
        TestGuestKind.RhelLvmXfs => "rhel",
        TestGuestKind.FedoraBtrfs => "fedora",
        _ => "opensuse",
    };

    private static GuestMatrixRun Execute(TestGuestKind kind)
    {
        var (guest, golden) = TestGuestImages.Golden(kind);
        var folder = Directory.CreateTempSubdirectory($"imprint-matrix-{kind}-").FullName;
        var work = Path.Combine(folder, "clone.raw");
        var inspect = Step("inspect", golden);
        var clone = Step("clone", golden, work, "--size", $"{GrownMiB}M");
        if (!File.Exists(work))
        {
            Sh.Run("cp", "--sparse=always", golden, work);
        }

        var seal = Step("seal", work);
        var afterSeal = ReadBack(() => GuestReadBack.Run(guest, work, SealedFiles(guest), listings: ["/var/log", "/etc/ssh"], globs: ["/var/lib/NetworkManager/*", "/var/lib/dhclient/*", "/var/lib/wicked/*"]));
        var customize = Step("customize", work, "--spec", Spec(folder, ExistingUser(kind)));
        var afterCustomize = ReadBack(() => GuestReadBack.Run(
            guest,
            work,
            [.. guest.HostnameFiles, "/etc/hosts", "/etc/resolv.conf", "/etc/shadow", "/etc/passwd", "/etc/group", "/etc/machine-id",
             "/etc/ssh/ssh_host_ed25519_key.pub", $"/home/{NewUser}/.ssh/authorized_keys", $"/home/{ExistingUser(kind)}/.ssh/authorized_keys",
             "/etc/matrix/motd", "/etc/matrix/from-file", "/usr/local/bin/matrix-hello", "/.autorelabel",
             "/etc/systemd/system/imprint-firstboot.service", "/usr/local/lib/imprint/firstboot.sh"],
            stats: ["/etc/matrix/motd", "/usr/local/bin/matrix-hello", $"/home/{NewUser}", $"/home/{NewUser}/.ssh/authorized_keys", .. PrivateHostKeys],
            links: ["/etc/localtime", "/etc/systemd/system/multi-user.target.wants/imprint-firstboot.service", "/etc/HOSTNAME"],
            listings: ["/etc/ssh"],
            globs: [$"{guest.NetworkFolder}/*"]));
        return new GuestMatrixRun(guest, work)
        {
            Inspect = inspect,
            Clone = clone,
            Seal = seal,
            Customize = customize,
            AfterSeal = afterSeal,
            AfterCustomize = afterCustomize,
        };
    }

    /// <summary>The private host keys a regeneration may write (every type the agent generates).</summary>
    public static string[] PrivateHostKeys => ["/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"];

    /// <summary>Paths a seal must clear, with the guest's own user's history.</summary>
    public static string[] SealedFiles(TestGuest guest) =>
    [
        "/etc/machine-id", "/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_ecdsa_key.pub", "/var/log/messages", "/var/log/cloud-init.log",
        "/root/.bash_history", $"/home/{ExistingUser(guest.Kind)}/.bash_history", "/.autorelabel", "/etc/hostname",
    ];

    private static string NewPublicKey(string comment)
    {
        using var folder = new TempDirectory();
        var key = folder.File("key");
        Sh.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-C", comment, "-f", key);
        return File.ReadAllText(key + ".pub").Trim();
    }

    private static (GuestReadBack?, string?) ReadBack(Func<GuestReadBack> read)
    {
        try
        {
            return (read(), null);
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            return (null, ex.Message);
        }
    }

    private static StepOutcome Step(params string[] args)
    {
        var (exit, stdout, stderr) = CliRun.RunAsync([.. args, "--json"]).GetAwaiter().GetResult();
        JsonDocument? json = null;
        try
        {
            json = JsonDocument.Parse(stdout);
        }
        catch (JsonException)
        {
        }

        return new StepOutcome(string.Join(' ', args), exit, stdout, stderr, json);
    }
}
