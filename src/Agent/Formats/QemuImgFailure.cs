using Imprint.Agent.Errors;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Formats;

/// <summary>
/// Tells apart why <c>qemu-img convert</c> failed: the target side (no space, read-only, file too large) has the
/// same exit codes as a raw copy hitting it; anything else is the source's fault (a malformed image).
/// </summary>
public static class QemuImgFailure
{
    public static ImprintException Classify(string source, ImageFormat format, string target, ToolFailedException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var detail = failure.StandardError.Trim();
        if (Says(detail, "No space left on device") || Says(detail, "Disk quota exceeded") || Says(detail, "Read-only file system"))
        {
            return new ImprintException(ExitCode.NotWritable, $"cannot write '{target}' while converting '{source}' from {format}: {detail}", failure);
        }

        if (Says(detail, "File too large"))
        {
            return new ImprintException(ExitCode.Conflict, $"the filesystem holding '{target}' cannot hold a file that large (converting '{source}' from {format}): {detail}", failure);
        }

        return new ImprintException(ExitCode.InvalidImage, $"cannot convert '{source}' from {format}: {detail}", failure);
    }

    private static bool Says(string text, string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);
}
