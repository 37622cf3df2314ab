using Imprint.Agent.Cli;
using Imprint.Agent.Errors;
using Imprint.Agent.Results;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

public sealed class ConvertCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Converts_qcow2_and_writes_the_json_result_file()
    {
        var raw = _temp.File("disk.raw");
        TestDisks.CreateGpt(raw, 16, new PartitionSpec(0));
        var qcow = _temp.File("disk.qcow2");
        Sh.Run("qemu-img", "convert", "-O", "qcow2", raw, qcow);
        var resultFile = _temp.File("result.json");

        var (exit, stdout, _) = await RunAsync("convert", qcow, _temp.File("out.raw"), "--result-file", resultFile);

        Assert.Equal(0, exit);
        Assert.Contains("qcow2", stdout, StringComparison.Ordinal);
        var result = ResultWriter.Deserialize(await File.ReadAllTextAsync(resultFile));
        Assert.True(result.Ok);
        Assert.Equal(["qcow2"], result.Copy!.SourceFormats);
        Assert.Equal(Sh.Sha256(raw), Sh.Sha256(_temp.File("out.raw")));
    }

    [Fact]
    public async Task Missing_source_exits_with_not_found_and_a_clear_message()
    {
        var (exit, _, stderr) = await RunAsync("convert", _temp.File("missing.qcow2"), _temp.File("out.raw"));

        Assert.Equal((int)ExitCode.NotFound, exit);
        Assert.Contains("missing.qcow2", stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_failure_carries_the_exit_code_and_error()
    {
        var target = _temp.File("exists.raw");
        await File.WriteAllTextAsync(target, "x");
        var source = _temp.File("src.raw");
        TestDisks.CreateSparse(source, 1024 * 1024);

        var (exit, stdout, _) = await RunAsync("convert", source, target, "--json");

        var result = ResultWriter.Deserialize(stdout);
        Assert.Equal((int)ExitCode.Conflict, exit);
        Assert.False(result.Ok);
        Assert.Equal((int)ExitCode.Conflict, result.ExitCode);
        Assert.Contains("already exists", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_lines_mode_prints_parseable_json_lines_on_stderr()
    {
        var raw = _temp.File("disk.raw");
        TestDisks.CreateGpt(raw, 16, new PartitionSpec(0));

        var (exit, _, stderr) = await RunAsync("convert", raw, _temp.File("out.raw"), "--progress", "lines");

        Assert.Equal(0, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("{\"progress\"", StringComparison.Ordinal));
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal(1.0, doc.RootElement.GetProperty("progress").GetProperty("fraction").GetDouble());
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        var (exit, _, stderr) = await RunAsync("convert", "a.qcow2", "b.raw", "--bogus");

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains("--bogus", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ImprintCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
