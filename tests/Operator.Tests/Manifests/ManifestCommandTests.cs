using Imprint.Operator.Manifests;

namespace Imprint.Operator.Tests.Manifests;

public sealed class ManifestCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("imprint-manifest-command-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Writes_every_manifest_under_the_output_folder()
    {
        var (code, output, _) = Run("--output", _directory);

        Assert.Equal(0, code);
        foreach (var manifest in ManifestWriter.GenerateAll())
        {
            var path = Path.Combine(_directory, manifest.RelativePath);
            Assert.Equal(manifest.Content, File.ReadAllText(path));
            Assert.Contains(path, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_exits_1_naming_the_drifted_file_and_0_when_up_to_date()
    {
        Run("--output", _directory);
        Assert.Equal(0, Run("--output", _directory, "--check").Code);

        File.WriteAllText(Path.Combine(_directory, "crd", "imprint.dev_goldenimages.yaml"), "stale\n");
        var (code, _, error) = Run("--check", "--output", _directory);

        Assert.Equal(1, code);
        Assert.Contains("imprint.dev_goldenimages.yaml is out of date", error, StringComparison.Ordinal);
        Assert.Contains("run make manifests", error, StringComparison.Ordinal);
        Assert.Equal("stale\n", File.ReadAllText(Path.Combine(_directory, "crd", "imprint.dev_goldenimages.yaml")));
    }

    [Fact]
    public void Chart_option_writes_and_checks_the_chart_templates_too()
    {
        var config = Path.Combine(_directory, "config");
        var chart = Path.Combine(_directory, "chart");
        var (code, output, _) = Run("--output", config, "--chart", chart);

        Assert.Equal(0, code);
        foreach (var manifest in ChartGenerator.Generate())
        {
            Assert.Equal(manifest.Content, File.ReadAllText(Path.Combine(chart, manifest.RelativePath)));
        }

        Assert.Contains(Path.Combine(chart, "templates/rbac/role.yaml"), output, StringComparison.Ordinal);
        Assert.Equal(0, Run("--output", config, "--chart", chart, "--check").Code);

        File.AppendAllText(Path.Combine(chart, "templates", "rbac", "role.yaml"), "# hand edit\n");
        var (drift, _, error) = Run("--output", config, "--chart", chart, "--check");
        Assert.Equal(1, drift);
        Assert.Contains(Path.Combine(chart, "templates/rbac/role.yaml") + " is out of date", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--chart")]
    [InlineData("--output")]
    [InlineData("--bogus")]
    public void Bad_arguments_exit_2_with_usage(string argument)
    {
        var (code, _, error) = Run(argument);

        Assert.Equal(2, code);
        Assert.Contains(ManifestCommand.Usage, error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ManifestCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
