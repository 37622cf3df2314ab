using Imprint.Agent.Tests.Support;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>What the matrix adds to <see cref="Guestfish"/>: quoting, the tree tarball for <c>tar-in</c>, availability.</summary>
public static class GuestfishText
{
    /// <summary>Null when guestfish is installed; otherwise why the guest tests cannot run.</summary>
    public static string? WhyUnavailable => ToolRunner.IsAvailable("guestfish") ? null : "guestfish is not installed (Debian: libguestfs-tools)";

    /// <summary>Quotes a guestfish argument (double quotes, backslash escapes) so spaces and quotes pass through.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Packs a host folder into a tar owned by root (numeric ids) for <c>tar-in</c>.</summary>
    public static void PackTree(string tree, string tarPath) =>
        Sh.Run("tar", "-C", tree, "--owner=0", "--group=0", "--numeric-owner", "-cf", tarPath, ".");
}
