using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Charts.Support;

/// <summary>
/// Runs the real helm binary (env HELM, else .tools/bin/helm from scripts/install-helm.sh) on charts/imprint. Each
/// distinct command runs once per test process; its result is shared by every test that asks for it.
/// </summary>
internal static class Helm
{
    private static readonly ConcurrentDictionary<string, Lazy<HelmResult>> Cache = new(StringComparer.Ordinal);

    public static string Chart { get; } = Path.Combine(RepositoryPaths.Root, "charts", "imprint");

    public static string ValuesFile(string name) => Path.Combine(RepositoryPaths.Root, "tests", "Operator.Tests", "Charts", "Values", name);

    private static readonly Lazy<string> HelmPath = new(Find);

    /// <summary>The helm executable; throws (the test fails) when it is missing, so chart tests never pass silently.</summary>
    public static string Executable => HelmPath.Value;

    public static HelmResult Run(params string[] args) =>
        Cache.GetOrAdd(string.Join('\u0001', args), _ => new Lazy<HelmResult>(() => Execute(args))).Value;

    /// <summary>`helm template` of the chart with a release name, namespace and extra arguments; must succeed.</summary>
    public static IReadOnlyList<JsonObject> Template(string release, string ns, params string[] extra)
    {
        var result = Run(["template", release, Chart, "--namespace", ns, .. extra]);
        Assert.True(result.ExitCode == 0, $"helm template failed ({result.ExitCode}):\n{result.Error}");
        return [.. YamlJson.ParseDocuments(result.Output).OfType<JsonObject>()];
    }

    private static string Find()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("HELM"),
            Path.Combine(RepositoryPaths.Root, ".tools", "bin", "helm"),
        };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            ?? throw new InvalidOperationException(
                "helm not found: set HELM=/path/to/helm or run scripts/install-helm.sh (make test does) to get .tools/bin/helm");
    }

    private static HelmResult Execute(string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Keep helm away from the user's repositories and caches; it needs none for a local chart.
        var home = Path.Combine(Path.GetTempPath(), "imprint-helm-home");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new HelmResult(process.ExitCode, output.Result, error.Result);
    }
}
