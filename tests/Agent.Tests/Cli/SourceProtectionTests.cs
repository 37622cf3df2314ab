using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// Nothing that is the source is ever removed or written (issue: <c>imprint clone X.partial X</c> deleted the source
/// while clearing a "stale" TARGET.partial). The source by another name — TARGET.partial itself, a hard link, a
/// symbolic link, the same path with --overwrite — is exit 2, and the source's bytes are unchanged afterwards.
/// </summary>
public sealed class SourceProtectionTests(SampleDisk sample) : IClassFixture<SampleDisk>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public enum Alias
    {
        /// <summary>The source is named TARGET.partial: <c>clone X.partial X</c>.</summary>
        SourceIsWorkFile,

        /// <summary>TARGET.partial is a hard link to the source.</summary>
        WorkFileIsHardLink,

        /// <summary>TARGET.partial is a symbolic link to the source.</summary>
        WorkFileIsSymbolicLink,

        /// <summary>TARGET is a hard link to the source, with --overwrite.</summary>
        TargetIsHardLink,

        /// <summary>TARGET is a symbolic link to the source, with --overwrite.</summary>
        TargetIsSymbolicLink,

        /// <summary>TARGET is the source's own path, with --overwrite.</summary>
        TargetIsSource,
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("clone", Alias.SourceIsWorkFile)]
    [InlineData("clone", Alias.WorkFileIsHardLink)]
    [InlineData("clone", Alias.WorkFileIsSymbolicLink)]
    [InlineData("clone", Alias.TargetIsHardLink)]
    [InlineData("clone", Alias.TargetIsSymbolicLink)]
    [InlineData("clone", Alias.TargetIsSource)]
    [InlineData("convert", Alias.SourceIsWorkFile)]
    [InlineData("convert", Alias.WorkFileIsHardLink)]
    [InlineData("convert", Alias.WorkFileIsSymbolicLink)]
    [InlineData("convert", Alias.TargetIsHardLink)]
    [InlineData("convert", Alias.TargetIsSymbolicLink)]
    [InlineData("convert", Alias.TargetIsSource)]
    public async Task Source_under_another_name_is_exit_2_and_kept(string command, Alias alias)
    {
        var source = _temp.File(alias == Alias.SourceIsWorkFile ? "disk.raw.partial" : "golden.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, source);
        var target = alias switch
        {
            Alias.SourceIsWorkFile => _temp.File("disk.raw"),
            Alias.TargetIsSource => source,
            _ => _temp.File("clone.raw"),
        };
        switch (alias)
        {
            case Alias.WorkFileIsHardLink:
                Sh.Run("ln", source, target + ".partial");
                break;
            case Alias.WorkFileIsSymbolicLink:
                File.CreateSymbolicLink(target + ".partial", source);
                break;
            case Alias.TargetIsHardLink:
                Sh.Run("ln", source, target);
                break;
            case Alias.TargetIsSymbolicLink:
                File.CreateSymbolicLink(target, source);
                break;
        }

        var (exit, result, _) = await CliRun.JsonAsync(command, source, target, "--overwrite");

        Assert.True(exit == (int)ExitCode.Usage, $"exit {exit}: {result.Error}");
        Assert.Contains("source", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(source), "the source was removed");
        Assert.Equal(sample.Sha256, Sh.Sha256(source));
    }

    [Fact]
    public async Task Import_never_removes_its_header_file_named_as_the_work_file()
    {
        // The header file (e.g. a mounted Secret) is read by import; its path is TARGET.partial here.
        var headers = _temp.File("disk.raw.partial");
        await File.WriteAllTextAsync(headers, "Authorization: Bearer s3cret\n");

        var (exit, result, _) = await CliRun.JsonAsync("import", "--url", "http://127.0.0.1:9/disk.raw", "--header-file", headers, _temp.File("disk.raw"));

        Assert.True(exit == (int)ExitCode.Usage, $"exit {exit}: {result.Error}");
        Assert.Equal("Authorization: Bearer s3cret\n", await File.ReadAllTextAsync(headers));
    }

    [LoopDeviceFact]
    public async Task Clone_onto_another_node_of_the_source_block_device_is_exit_2()
    {
        var backing = _temp.File("backing.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, backing);
        var device = Sh.Run("losetup", "-f", "--show", backing).Trim();
        try
        {
            // A second device node for the same block device (what a container's /dev or a symlink in /dev/disk gives).
            var numbers = Sh.Run("stat", "-c", "%t %T", device).Trim().Split(' ');
            var node = _temp.File("same-device");
            Sh.Run("mknod", node, "b", Convert.ToInt32(numbers[0], 16).ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt32(numbers[1], 16).ToString(System.Globalization.CultureInfo.InvariantCulture));

            var (exit, result, _) = await CliRun.JsonAsync("clone", device, node);

            Assert.True(exit == (int)ExitCode.Usage, $"exit {exit}: {result.Error}");
            Assert.Equal(sample.Sha256, Sh.Sha256(backing));
        }
        finally
        {
            Sh.Run("losetup", "-d", device);
        }
    }
}
