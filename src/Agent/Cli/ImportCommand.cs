using System.CommandLine;
using Imprint.Agent.Errors;
using Imprint.Agent.Importing;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint import --url URL TARGET [--checksum sha256:HEX] [--header-file F] [--ca-file CA] [--overwrite]</c>.</summary>
public static class ImportCommand
{
    public static Command Build(CommandRunner runner)
    {
        var url = new Option<string>("--url") { Description = "http(s) URL of the image (raw, qcow2, vmdk, vhdx, vdi, vpc; .gz/.xz too)", Required = true };
        var target = new Argument<FileInfo>("target") { Description = "Raw disk to create (or an existing block device)" };
        var checksum = new Option<string?>("--checksum") { Description = "Expected digest of the downloaded file: sha256:HEX or sha512:HEX" };
        var headerFile = new Option<FileInfo?>("--header-file") { Description = "File of 'Name: value' HTTP header lines (e.g. from a Secret); never logged" };
        var caFile = new Option<FileInfo?>("--ca-file") { Description = "PEM CA certificate(s) to trust for https instead of the system store" };
        var scratch = new Option<DirectoryInfo?>("--scratch") { Description = "Folder for a download that must be converted from a file (default: beside TARGET)" };
        var retries = new Option<int>("--retries") { Description = "Tries in a row without progress before giving up (connection errors, 5xx)", DefaultValueFactory = _ => 6 };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("import", "Download an image over http(s), verify it and convert it to sparse raw")
        {
            url, target, checksum, headerFile, caFile, scratch, retries, overwrite,
        };
        command.SetAction((parse, ct) => runner.RunAsync("import", parse, async (context, token) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var uri))
            {
                throw ImprintException.Usage("--url is not an absolute URL");
            }

            var progress = context.CreateProgress("download");
            var convertProgress = context.CreateProgress("convert");
            var request = new ImportRequest
            {
                Url = uri,
                Target = parse.GetValue(target)!.FullName,
                Checksum = parse.GetValue(checksum) is { } text ? ImageChecksum.Parse(text) : null,
                HeaderFile = parse.GetValue(headerFile)?.FullName,
                CaFile = parse.GetValue(caFile)?.FullName,
                ScratchDirectory = parse.GetValue(scratch)?.FullName,
                Overwrite = parse.GetValue(overwrite),
                Retry = new RetryPolicy { Attempts = parse.GetValue(retries) is var n && n >= 1 ? n : throw ImprintException.Usage("--retries must be at least 1") },
                Progress = progress,
                ConvertProgress = convertProgress,
            };
            var copy = await ImageImporter.ImportAsync(request, token).ConfigureAwait(false);
            progress?.Complete();
            convertProgress?.Complete();
            return new AgentResult { Command = "import", Copy = copy };
        }, ct));
        return command;
    }
}
