using System.CommandLine;
using Imprint.Agent.Integrity;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint digest DISK</c>: sha256 over every byte of the disk, holes hashed as zeros without reading them.</summary>
public static class DigestCommand
{
    public static Command Build(CommandRunner runner)
    {
        var disk = new Argument<FileInfo>("disk") { Description = "Raw disk image or block device (read only)" };
        var command = new Command("digest", "Print the disk's digest: sha256:<hex> of all its bytes, equal to sha256sum of the file; holes are not read") { disk };
        command.SetAction((parse, ct) => runner.RunAsync("digest", parse, (_, token) =>
        {
            var result = DiskDigest.Compute(parse.GetValue(disk)!.FullName, token);
            return Task.FromResult(new AgentResult
            {
                Command = "digest",
                Digest = new DigestReport(result.Digest, result.DiskLength, result.DataBytesRead, (long)result.Elapsed.TotalMilliseconds),
            });
        }, ct));
        return command;
    }
}
