using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// <c>--overwrite</c> on clone and convert: the new disk is built as TARGET.partial and renamed, so a failed run never
/// leaves a half disk under TARGET's name and the old target survives it.
/// </summary>
public sealed class OverwriteTests(SampleDisk sample) : IClassFixture<SampleDisk>, IDisposable
{
    private const string OldContent = "the previous run's disk";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Clone_replaces_an_existing_target_only_with_overwrite()
    {
        var target = _temp.File("clone.raw");
        await File.WriteAllTextAsync(target, OldContent);

        var refused = await CliRun.JsonAsync("clone", sample.Path, target);
        var replaced = await CliRun.JsonAsync("clone", sample.Path, target, "--overwrite");

        Assert.Equal((int)ExitCode.Conflict, refused.Exit);
        Assert.Contains("--overwrite", refused.Result.Error, StringComparison.Ordinal);
        Assert.Equal(0, replaced.Exit);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task Clone_failing_after_the_copy_keeps_the_old_target_and_leaves_no_partial_file()
    {
        var target = _temp.File("clone.raw");
        await File.WriteAllTextAsync(target, OldContent);
        var spec = _temp.File("spec.yaml");
        await File.WriteAllTextAsync(spec, "files: [{ path: /etc/motd, contentFile: missing-motd }]\nsshHostKeys: Keep\n");

        var (exit, result, _) = await CliRun.JsonAsync("clone", sample.Path, target, "--overwrite", "--size", "96M", "--spec", spec);

        Assert.Equal((int)ExitCode.NotFound, exit);
        Assert.Contains("missing-motd", result.Error, StringComparison.Ordinal);
        Assert.Equal(OldContent, await File.ReadAllTextAsync(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task Stale_partial_file_of_a_killed_run_is_replaced()
    {
        var target = _temp.File("clone.raw");
        await File.WriteAllTextAsync(target + ".partial", "half a disk");

        var (exit, _, stderr) = await CliRun.JsonAsync("clone", sample.Path, target);

        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task Clone_onto_its_own_source_is_refused_even_with_overwrite()
    {
        var source = _temp.File("golden.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, source);

        var (exit, _, _) = await CliRun.JsonAsync("clone", source, source, "--overwrite");

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Equal(sample.Sha256, Sh.Sha256(source));
    }

    [Fact]
    public async Task Convert_replaces_an_existing_target_with_overwrite()
    {
        var qcow = _temp.File("disk.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", sample.Path, qcow);
        var target = _temp.File("disk.raw");
        await File.WriteAllTextAsync(target, OldContent);

        var refused = await CliRun.JsonAsync("convert", qcow, target);
        var replaced = await CliRun.JsonAsync("convert", qcow, target, "--overwrite");

        Assert.Equal((int)ExitCode.Conflict, refused.Exit);
        Assert.Equal(0, replaced.Exit);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Assert.Equal([qcow, target], Directory.GetFiles(_temp.Path).Order(StringComparer.Ordinal).ToArray());
    }
}
