using System.Globalization;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Customization.Ssh;

/// <summary>
/// Makes new SSH host keys offline with ssh-keygen. Debian does not regenerate missing host keys at boot, and keys
/// made here can be published (fingerprints in status) so users can pin known_hosts before the VM first boots.
/// Private keys live only in a 0700 temporary folder (in /dev/shm when it exists, so they never touch the host's
/// disk) that is always deleted.
/// </summary>
public static class SshHostKeyGenerator
{
    /// <summary>What a guest gets when it had no host keys: OpenSSH's own defaults (ssh-keygen -A), less DSA.</summary>
    public static readonly IReadOnlyList<string> DefaultTypes = ["ecdsa", "ed25519", "rsa"];

    /// <summary>Types this generator makes; DSA host keys are disabled in current OpenSSH and are not recreated.</summary>
    public static readonly IReadOnlyList<string> SupportedTypes = ["ecdsa", "ed25519", "rsa"];

    public const int RsaBits = 3072;

    public static string PrivateKeyPath(string type) => $"/etc/ssh/ssh_host_{type}_key";

    /// <summary>
    /// The key types a guest has, from file names or paths like <c>ssh_host_ed25519_key</c> or its <c>.pub</c>
    /// (sorted, distinct, supported types only); <see cref="DefaultTypes"/> when there are none.
    /// </summary>
    public static IReadOnlyList<string> TypesFrom(IEnumerable<string> guestPaths)
    {
        var types = guestPaths
            .Select(Path.GetFileName)
            .OfType<string>()
            .Select(n => n.EndsWith(".pub", StringComparison.Ordinal) ? n[..^4] : n)
            .Where(n => n.StartsWith("ssh_host_", StringComparison.Ordinal) && n.EndsWith("_key", StringComparison.Ordinal) && n.Length > "ssh_host__key".Length)
            .Select(n => n["ssh_host_".Length..^"_key".Length])
            .Where(SupportedTypes.Contains)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return types.Count > 0 ? types : DefaultTypes;
    }

    /// <summary>
    /// Runs <c>ssh-keygen -q -t TYPE [-b 3072] -N "" -C comment -f DIR/ssh_host_TYPE_key</c> per type (in parallel)
    /// and returns the keys in the order asked.
    /// </summary>
    public static Task<IReadOnlyList<GeneratedHostKey>> GenerateAsync(IEnumerable<string> types, string comment, CancellationToken cancellationToken) =>
        GenerateAsync(types, comment, DefaultTempParent, cancellationToken);

    /// <summary>Where the private temporary folder goes: /dev/shm (RAM) when it exists, else the temp folder.</summary>
    public static string DefaultTempParent => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>As above, with the private folder made inside <paramref name="tempParent"/>.</summary>
    public static async Task<IReadOnlyList<GeneratedHostKey>> GenerateAsync(IEnumerable<string> types, string comment, string tempParent, CancellationToken cancellationToken)
    {
        var wanted = types.Distinct(StringComparer.Ordinal).ToList();
        if (wanted.FirstOrDefault(t => !SupportedTypes.Contains(t)) is { } unsupported)
        {
            throw new ArgumentException($"ssh host key type '{unsupported}' is not one of {string.Join(", ", SupportedTypes)}", nameof(types));
        }

        var folder = Path.Combine(tempParent, "imprint-hostkeys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var tasks = wanted.Select(async type =>
            {
                var file = Path.Combine(folder, $"ssh_host_{type}_key");
                List<string> args = ["-q", "-t", type, .. type == "rsa" ? ["-b", RsaBits.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(), "-N", string.Empty, "-C", comment, "-f", file];
                await ToolRunner.RunAsync("ssh-keygen", args, cancellationToken: cancellationToken).ConfigureAwait(false);
                var publicLine = (await File.ReadAllTextAsync(file + ".pub", cancellationToken).ConfigureAwait(false)).Trim();
                var privateKey = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
                return new GeneratedHostKey(type, privateKey, publicLine, SshFingerprint.Compute(publicLine));
            });
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
