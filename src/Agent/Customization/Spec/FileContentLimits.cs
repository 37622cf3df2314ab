namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// How much a spec's files[] may write. Customization carries configuration, keys and small tools: Kubernetes caps a
/// Secret or ConfigMap at 1 MiB, so 64 MiB per file leaves room for a binary or an archive given with contentFile on
/// the command line, while 256 MiB in all bounds the scratch space (contents are staged in a private host folder) and
/// how long one debugfs session holds the disk. Bulk data belongs in the golden image or a data disk.
/// </summary>
public static class FileContentLimits
{
    public const long MaxFileBytes = 64L << 20;

    public const long MaxTotalBytes = 256L << 20;

    public static string FileProblem(string what, long bytes) =>
        $"{what} is {bytes} bytes, over the limit of {MaxFileBytes >> 20} MiB per file ({MaxFileBytes} bytes)";

    public static string TotalProblem(long bytes) =>
        $"{bytes} bytes in all, over the limit of {MaxTotalBytes >> 20} MiB ({MaxTotalBytes} bytes) for one customization";
}
