using System.CommandLine;
using Imprint.Agent.Inspection;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint fingerprint DISK [--length BYTES]</c>: size and hashes of the disk's first and last MiB (reads only).</summary>
public static class FingerprintCommand
{
    public static Command Build(CommandRunner runner)
    {
        var disk = new Argument<FileInfo>("disk") { Description = "Raw disk image or block device (of a container image only the virtual size is reported)" };
        var length = new Option<long?>("--length") { Description = "Hash the ends of the first BYTES bytes instead of the whole disk (a copy on a larger device)" };
        var command = new Command("fingerprint", "Show the disk's size and the SHA-256 of its first and last MiB") { disk, length };
        command.SetAction((parse, ct) => runner.RunAsync("fingerprint", parse, async (_, token) => new AgentResult
        {
            Command = "fingerprint",
            Fingerprint = await DiskFingerprinter.ComputeAsync(parse.GetValue(disk)!.FullName, parse.GetValue(length), token).ConfigureAwait(false),
        }, ct));
        return command;
    }
}
