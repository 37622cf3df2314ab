using System.Text;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// Turns files[] entries into exact bytes for the guest, never through text: base64 is decoded and contentFile (a
/// mounted Secret or ConfigMap key, or a local file) copied as raw bytes into a private scratch file that debugfs
/// streams from; inline content is its UTF-8. A BOM, bytes ≥ 0x80 and invalid UTF-8 arrive unchanged. Sizes are
/// checked against <see cref="FileContentLimits"/> before anything is read, and again while copying (a file can
/// grow, or be a /proc file that claims 0 bytes).
/// </summary>
internal sealed class FileContentStaging(CustomizeOptions options, ScratchFiles scratch)
{
    private const int CopyChunkBytes = 1 << 16;

    private int _staged;

    /// <summary>Checks every contentFile (exists, regular file, within the limits) and the total; all problems at once.</summary>
    public static void Check(IReadOnlyList<FileSpec>? files, string baseDirectory)
    {
        var problems = new List<string>();
        var missing = 0;
        long total = 0;
        for (var i = 0; i < (files?.Count ?? 0); i++)
        {
            var file = files![i];
            if (file.Content is { } inline)
            {
                total += Encoding.UTF8.GetByteCount(inline);
            }
            else if (file.Base64 is { } b64)
            {
                total += Base64Content.DecodedLength(b64) ?? 0;
            }
            else if (file.ContentFile is { } name)
            {
                // statx follows symlinks, as reading does: a Secret key is a link into the volume's ..data folder.
                var stat = Statx.OfPath(Resolve(baseDirectory, name));
                var field = $"files[{i}].contentFile";
                if (stat is null)
                {
                    problems.Add($"{field}: '{name}' does not exist");
                    missing++;
                }
                else if (!stat.Value.IsRegularFile)
                {
                    problems.Add($"{field}: '{name}' is not a regular file");
                }
                else if ((long)stat.Value.Size > FileContentLimits.MaxFileBytes)
                {
                    problems.Add($"{field}: {FileContentLimits.FileProblem($"'{name}'", (long)stat.Value.Size)}");
                }
                else
                {
                    total += (long)stat.Value.Size;
                }
            }
        }

        if (total > FileContentLimits.MaxTotalBytes)
        {
            problems.Add($"files: {FileContentLimits.TotalProblem(total)}");
        }

        if (problems.Count > 0)
        {
            var error = CustomizationSpecValidator.Invalid(problems);
            throw missing == problems.Count ? ImprintException.NotFound(error.Message) : error;
        }
    }

    /// <summary>Adds the write of <paramref name="file"/> (mode and owner already resolved) to <paramref name="batch"/>.</summary>
    public async Task AddAsync(GuestEditBatch batch, FileSpec file, int index, int mode, uint uid, uint gid, CancellationToken cancellationToken)
    {
        if (file.Content is { } inline)
        {
            batch.WriteFile(file.Path!, Encoding.UTF8.GetBytes(inline), mode, uid, gid);
            return;
        }

        var staged = scratch.File($"guest-file-{_staged++}");
        await using (var output = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyChunkBytes))
        {
            if (file.Base64 is { } b64)
            {
                Base64Content.DecodeTo(b64, output);
            }
            else
            {
                await CopyAsync(Resolve(options.BaseDirectory, file.ContentFile!), output, $"files[{index}].contentFile", file.ContentFile!, cancellationToken).ConfigureAwait(false);
            }
        }

        batch.WriteFileFrom(file.Path!, staged, mode, uid, gid);
    }

    private static async Task CopyAsync(string source, Stream output, string field, string name, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, CopyChunkBytes);
        var buffer = new byte[CopyChunkBytes];
        long copied = 0;
        int n;
        while ((n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            copied += n;
            if (copied > FileContentLimits.MaxFileBytes)
            {
                throw CustomizationSpecValidator.Invalid([$"{field}: {FileContentLimits.FileProblem($"'{name}'", copied)} (it grew while being read)"]);
            }

            await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Resolve(string baseDirectory, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
}
