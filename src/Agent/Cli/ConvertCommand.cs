using System.CommandLine;
using Imprint.Agent.Disk;
using Imprint.Agent.Formats;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint convert SRC DST [--overwrite] [--source-format raw|auto]</c>: any supported format (optionally gz/xz compressed) to a sparse raw image.</summary>
public static class ConvertCommand
{
    public static Command Build(CommandRunner runner)
    {
        var source = new Argument<FileInfo>("source") { Description = "Image to convert: raw, qcow2, vmdk, vhdx, vdi, vpc; .gz/.xz compressed too" };
        var target = new Argument<FileInfo>("target") { Description = "Raw image to create (or an existing block device)" };
        var overwrite = CommonOptions.Overwrite();
        var sourceFormat = CommonOptions.SourceFormat();
        var command = new Command("convert", "Convert an image to a sparse raw image") { source, target, overwrite, sourceFormat };
        command.SetAction((parse, ct) => runner.RunAsync("convert", parse, async (context, token) =>
        {
            var progress = context.CreateProgress("convert");
            var sourcePath = parse.GetValue(source)!.FullName;
            var sourceIsRaw = CommonOptions.ParseSourceIsRaw(parse.GetValue(sourceFormat));
            SourcePath.RequireFile(sourcePath, "source");

            using var sourceLock = ImageLock.Shared(sourcePath);
            using var work = PartialTarget.Prepare(parse.GetValue(target)!.FullName, parse.GetValue(overwrite), sourcePath);
            var result = sourceIsRaw
                ? await CopyRawAsync(sourcePath, work.WorkPath, progress, token).ConfigureAwait(false)
                : work.IsBlockDevice
                ? await ConvertOntoDeviceAsync(sourcePath, work.WorkPath, progress, token).ConfigureAwait(false)
                : await ImageConverter.ConvertToRawAsync(sourcePath, work.WorkPath, progress, token).ConfigureAwait(false);
            var allocated = work.IsBlockDevice ? result.VirtualSize : Cloning.DiskCloner.AllocatedBytes(work.WorkPath);
            work.Commit();
            progress?.Complete();
            return new AgentResult
            {
                Command = "convert",
                Copy = new CopyReport("convert", result.Formats.Select(f => f.ToString().ToLowerInvariant()).ToList(), result.VirtualSize, new FileInfo(sourcePath).Length, allocated, (long)result.Elapsed.TotalMilliseconds, null),
            };
        }, ct));
        return command;
    }

    /// <summary><c>--source-format raw</c>: the bytes are copied as they are, whatever their first sector looks like.</summary>
    private static async Task<ConversionResult> CopyRawAsync(string source, string target, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var copy = await SparseCopier.CopyAsync(source, target, new SparseCopyOptions { Progress = progress, SourceIsRawDisk = false }, cancellationToken).ConfigureAwait(false);
        return new ConversionResult([ImageFormat.Raw], copy.SourceLength, copy.Elapsed);
    }

    /// <summary>A device cannot be created or renamed: convert to a raw scratch file in TMPDIR, then copy it in.</summary>
    private static async Task<ConversionResult> ConvertOntoDeviceAsync(string source, string device, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"imprint-convert-{Guid.NewGuid():N}.raw");
        try
        {
            var result = ImageFormatDetector.Detect(source) == ImageFormat.Raw
                ? new ConversionResult([ImageFormat.Raw], new FileInfo(source).Length, TimeSpan.Zero)
                : await ImageConverter.ConvertToRawAsync(source, scratch, progress, cancellationToken).ConfigureAwait(false);
            var raw = File.Exists(scratch) ? scratch : source;
            var copy = await SparseCopier.CopyAsync(raw, device, new SparseCopyOptions { Progress = progress }, cancellationToken).ConfigureAwait(false);
            return result with { Elapsed = result.Elapsed + copy.Elapsed };
        }
        finally
        {
            File.Delete(scratch);
        }
    }
}
