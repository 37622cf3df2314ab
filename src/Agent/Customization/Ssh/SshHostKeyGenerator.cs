using Imprint.Agent.Tools;

namespace Imprint.Agent.Customization.Ssh;

/// <summary>
/// Makes new SSH host keys offline with ssh-keygen. Debian does not regenerate missing host keys at boot, and keys
/// made here can be published (fingerprints in status) so users can pin known_hosts before the VM first boots.
/// Private keys live only in a 0700 temporary folder (in /dev/shm when it exists, so not on a disk) and are deleted.
/// </summary>
public static class SshHostKeyGenerator
{
    /// <summary>The types a guest had, from its /etc/ssh/ssh_host_*_key file names; the usual three when none.</summary>
    public static IReadOnlyList<string> TypesFrom(IEnumerable<string> guestPaths)
    {
        var types = guestPaths
            .Select(Path.GetFileName)
            .Where(n => n is not null && n.StartsWith("ssh_host_", StringComparison.Ordinal) && n.EndsWith("_key", StringComparison.Ordinal))
            .Select(n => n!["ssh_host_".Length..^"_key".Length])
            .Where(t => t is "rsa" or "ecdsa" or "ed25519" or "dsa")
            .Where(t => t != "dsa") // DSA host keys are disabled in current OpenSSH; do not recreate them.
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return types.Count > 0 ? types : ["ecdsa", "ed25519", "rsa"];
    }

    public static async Task<IReadOnlyList<GeneratedHostKey>> GenerateAsync(IEnumerable<string> types, string comment, CancellationToken cancellationToken)
    {
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var folder = Path.Combine(parent, "imprint-hostkeys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        try
        {
            var tasks = types.Select(async type =>
            {
                var file = Path.Combine(folder, $"ssh_host_{type}_key");
                List<string> args = ["-q", "-t", type, .. type == "rsa" ? new[] { "-b", "3072" } : [], "-N", string.Empty, "-C", comment, "-f", file];

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
