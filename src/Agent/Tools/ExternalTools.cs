namespace Imprint.Agent.Tools;

/// <summary>
/// Every external program the agent runs, with the Debian package that ships it. The agent image's Dockerfile must
/// install each package; a test reads the Dockerfile and fails when one is missing.
/// </summary>
public static class ExternalTools
{
    public static IReadOnlyDictionary<string, string> Packages { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["debugfs"] = "e2fsprogs",
        ["e2fsck"] = "e2fsprogs",
        ["resize2fs"] = "e2fsprogs",
        ["dumpe2fs"] = "e2fsprogs",
        ["e2undo"] = "e2fsprogs",
        ["qemu-img"] = "qemu-utils",
        ["ssh-keygen"] = "openssh-client",
        ["xz"] = "xz-utils",
        ["sh"] = "dash",
    };
}
