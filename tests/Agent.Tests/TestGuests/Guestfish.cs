using Imprint.Agent.Tests.Support;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// Runs one guestfish script against disk images: one appliance launch per call. The appliance runs under TCG
/// (direct backend, <c>force_tcg</c>) because KVM is not usable here and qemu hangs without it.
/// </summary>
public static class Guestfish
{
    /// <summary>What the appliance needs in its environment on this machine and in CI.</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["LIBGUESTFS_BACKEND"] = "direct",
        ["LIBGUESTFS_BACKEND_SETTINGS"] = "force_tcg",
    };

    /// <summary>
    /// Runs <paramref name="script"/> (one guestfish command a line) with the disks attached, read-write unless
    /// <paramref name="readOnly"/>. Fails with guestfish's own error text when any command not prefixed with '-' fails.
    /// </summary>
    public static string Run(string script, bool readOnly, params string[] disks)
    {
        var args = new List<string> { readOnly ? "--ro" : "--rw" };
        foreach (var disk in disks)
        {
            args.Add("--format=raw");
            args.Add("-a");
            args.Add(disk);
        }

        var result = ToolRunner.RunAsync("guestfish", args, script + "\n", acceptedExitStatuses: [0, 1], environment: Environment)
            .GetAwaiter().GetResult();
        if (result.ExitStatus != 0)
        {
            throw new InvalidOperationException($"guestfish failed (exit {result.ExitStatus}): {result.StandardError.Trim()}\nscript:\n{script}");
        }

        return result.StandardOutput;
    }

    /// <summary>Null when guestfish is installed; otherwise why the guest tests cannot run.</summary>
    public static string? WhyUnavailable => ToolRunner.IsAvailable("guestfish") ? null : "guestfish is not installed (Debian: libguestfs-tools)";

    /// <summary>Quotes a guestfish argument (double quotes, backslash escapes) so spaces and quotes pass through.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Packs a host folder into a tar owned by root (numeric ids) for <c>tar-in</c>.</summary>
    public static void PackTree(string tree, string tarPath) =>
        Sh.Run("tar", "-C", tree, "--owner=0", "--group=0", "--numeric-owner", "-cf", tarPath, ".");
}
