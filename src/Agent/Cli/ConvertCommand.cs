using System.CommandLine;
using Imprint.Agent.Formats;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint convert SRC DST</c>: any supported format (optionally gz/xz compressed) to a sparse raw image.</summary>
public static class ConvertCommand
{
    public static Command Build(CommandRunner runner)
    {
        var source = new Argument<FileInfo>("source") { Description = "Image to convert: raw, qcow2, vmdk, vhdx, vdi, vpc; .gz/.xz compressed too" };
        var target = new Argument<FileInfo>("target") { Description = "Raw image to create (must not exist)" };
        var command = new Command("convert", "Convert an image to a sparse raw image") { source, target };
        command.SetAction((parse, ct) => runner.RunAsync("convert", parse, async (context, token) =>
        {
            var progress = context.CreateProgress("convert");
            var sourcePath = parse.GetValue(source)!.FullName;
            var result = await ImageConverter.ConvertToRawAsync(sourcePath, parse.GetValue(target)!.FullName, progress, token).ConfigureAwait(false);
            progress?.Complete();
            return new AgentResult
            {
                Command = "convert",
                Copy = new CopyReport("convert", result.Formats.Select(f => f.ToString().ToLowerInvariant()).ToList(), result.VirtualSize, new FileInfo(sourcePath).Length, Cloning.DiskCloner.AllocatedBytes(parse.GetValue(target)!.FullName), (long)result.Elapsed.TotalMilliseconds, null),
            };
        }, ct));
        return command;
    }
}
