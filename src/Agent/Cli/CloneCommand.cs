using System.CommandLine;
using Imprint.Agent.Cloning;
using Imprint.Agent.Customization;
using Imprint.Agent.Results;
using Imprint.Agent.Transfer;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint clone SOURCE|https://HOST:PORT TARGET [--size 20G] [--partition N] [--verify] [--expect-digest sha256:…] [--overwrite] [--source-format raw|auto] [--token-file F --ca-file CA]</c>.</summary>
public static class CloneCommand
{
    public static Command Build(CommandRunner runner)
    {
        var source = new Argument<string>("source") { Description = "Golden disk (raw, qcow2, vmdk, vhdx, vdi, vpc; .gz/.xz too; never written), or https://HOST:PORT of an 'imprint serve'" };
        var target = new Argument<FileInfo>("target") { Description = "New raw disk to create (or an existing block device)" };
        var size = CommonOptions.Size("Grow the clone to this size (e.g. 20G)");
        var partition = CommonOptions.Partition();
        var verify = new Option<bool>("--verify") { Description = "Re-read the copy and compare its hash with the source" };
        var expectDigest = new Option<string?>("--expect-digest") { Description = "The source's digest recorded at seal (sha256:…, as 'imprint digest' prints): hashed while copying; a mismatch fails the clone (exit 4) and keeps no target" };
        var overwrite = CommonOptions.Overwrite();
        var sourceFormat = CommonOptions.SourceFormat();
        var tokenFile = new Option<FileInfo?>("--token-file") { Description = "With an https:// source: file holding the server's one-time token" };
        var caFile = new Option<FileInfo?>("--ca-file") { Description = "With an https:// source: PEM CA the server certificate must chain to" };
        var serverName = new Option<string?>("--tls-server-name") { Description = "With an https:// source: the name the server certificate must carry (default: the URL's host)" };
        var command = new Command("clone", "Copy a golden disk (sparse), grow it, and customize it") { source, target, size, partition, verify, expectDigest, overwrite, sourceFormat, tokenFile, caFile, serverName };
        var customize = new CustomizeOptionsBinder();
        customize.AddTo(command);
        command.SetAction((parse, ct) => runner.RunAsync("clone", parse, async (context, token) =>
        {
            var progress = context.CreateProgress("copy");
            var sourceText = parse.GetValue(source)!;
            var targetPath = parse.GetValue(target)!.FullName;
            var expected = parse.GetValue(expectDigest) is { } text ? Integrity.DiskDigest.Parse(text, "--expect-digest") : null;
            using var fetchDigest = expected is not null && IsRemote(sourceText) ? new Integrity.DiskDigester() : null;
            var request = new CloneRequest
            {
                Source = IsRemote(sourceText) ? sourceText : Path.GetFullPath(sourceText),
                Target = targetPath,
                Overwrite = parse.GetValue(overwrite),
                Fetch = IsRemote(sourceText) ? RemoteFetch(sourceText, parse.GetValue(tokenFile), parse.GetValue(caFile), parse.GetValue(serverName), progress, fetchDigest) : null,
                FetchDigest = fetchDigest,
                Size = CommonOptions.ParseSize(parse.GetValue(size)),
                Partition = CommonOptions.ParsePartition(parse.GetValue(partition)),
                Verify = parse.GetValue(verify),
                ExpectDigest = expected,
                SourceIsRaw = CommonOptions.ParseSourceIsRaw(parse.GetValue(sourceFormat)),
                Progress = progress,
            };
            // Parse and validate the customization before copying, so a bad spec costs nothing.
            var wanted = customize.Any(parse) ? customize.Build(parse) : default;
            var sealFirst = customize.SealFirst(parse);
            CustomizeResult? customized = null;
            GuestReport? guest = null;
            Func<string, CancellationToken, Task>? afterCopy = wanted.Spec is null ? null : async (path, t) =>
            {
                var (result, inspection) = await GuestCustomization.RunAsync(path, wanted.Spec, new CustomizeOptions { BaseDirectory = wanted.BaseDirectory, GrowRootToFill = true, SealFirst = sealFirst }, t).ConfigureAwait(false);
                customized = result;
                guest = inspection.ToGuestReport();
            };
            var clone = await DiskCloner.CloneAsync(request, afterCopy, token).ConfigureAwait(false);
            progress?.Complete();
            var report = customized is null ? new AgentResult { Command = "clone" } : CustomizeCommand.ToResult("clone", customized, guest);
            // An appliance root was grown inside the customization's launch: the resize report gets its sizes from there.
            var resize = customized?.Grow is { } grown && clone.Resize is { } r ? r with { NewFilesystemSize = grown.NewSizeBytes, Engine = grown.Engine } : clone.Resize;
            return report with { Engine = report.Engine ?? clone.Resize?.Engine, Copy = clone.Copy, Resize = resize, Digest = clone.Digest };
        }, ct));
        return command;
    }

    private static bool IsRemote(string source) => source.Contains("://", StringComparison.Ordinal);

    /// <summary>An https:// source is an <c>imprint serve</c> in another namespace: token and CA are required.</summary>
    private static Func<string, bool, CancellationToken, Task<CopyReport>> RemoteFetch(string source, FileInfo? tokenFile, FileInfo? caFile, string? serverName, IProgress<Disk.CopyProgress>? progress, Integrity.DiskDigester? digest)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.AbsolutePath != "/" || uri.Port <= 0)
        {
            throw Errors.ImprintException.Usage($"remote source '{source}' must be https://HOST:PORT (an 'imprint serve'); plain http is never used for disks");
        }

        if (tokenFile is null || caFile is null)
        {
            throw Errors.ImprintException.Usage("an https:// source needs --token-file and --ca-file");
        }

        // Read both now so a missing secret fails before the target is touched.
        var token = TransferToken.FromFile(tokenFile.FullName);
        var trust = TlsTrust.FromPemFile(caFile.FullName);
        return (path, isDevice, ct) => DiskReceiver.ReceiveAsync(
            new ReceiveRequest { Source = uri, Token = token, Trust = trust, ServerName = serverName, TargetPath = path, TargetIsBlockDevice = isDevice, Progress = progress, Digest = digest },
            ct);
    }
}
