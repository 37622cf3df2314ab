namespace Imprint.Operator.Manifests;

/// <summary>
/// <c>imprint-operator manifests [--output DIR] [--chart DIR] [--check]</c>: writes config/crd and config/rbac (and,
/// with --chart, the chart's templates/crds and templates/rbac), or with --check lists the files that differ from what
/// the code generates and exits 1 (for CI and the drift test).
/// </summary>
public static class ManifestCommand
{
    public const string Usage = "usage: manifests [--output DIR] [--chart DIR] [--check]";

    /// <summary>Returns 0 on success, 1 when --check found drift, 2 on bad arguments.</summary>
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var outputDirectory = "config";
        string? chartDirectory = null;
        var check = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" when i + 1 < args.Length:
                    outputDirectory = args[++i];
                    break;
                case "--chart" when i + 1 < args.Length:
                    chartDirectory = args[++i];
                    break;
                case "--check":
                    check = true;
                    break;
                default:
                    error.WriteLine($"unknown or incomplete argument '{args[i]}'");
                    error.WriteLine(Usage);
                    return 2;
            }
        }

        var targets = new List<(string Directory, IReadOnlyList<GeneratedManifest> Manifests, IReadOnlyList<string> Owned)>
        {
            (outputDirectory, ManifestWriter.GenerateAll(), ManifestWriter.ConfigOwnedFolders),
        };
        if (chartDirectory is not null)
        {
            targets.Add((chartDirectory, ChartGenerator.Generate(), ChartGenerator.OwnedFolders));
        }

        if (check)
        {
            var drifted = targets
                .SelectMany(t => ManifestWriter.FindDrift(t.Directory, t.Manifests, t.Owned).Select(p => Path.Combine(t.Directory, p)))
                .ToList();
            foreach (var path in drifted)
            {
                error.WriteLine($"{path} is out of date");
            }

            if (drifted.Count > 0)
            {
                error.WriteLine("run make manifests");
                return 1;
            }

            foreach (var target in targets)
            {
                output.WriteLine($"{target.Manifests.Count} manifests in {target.Directory} are up to date");
            }

            return 0;
        }

        foreach (var target in targets)
        {
            ManifestWriter.Write(target.Directory, target.Manifests, target.Owned);
            foreach (var manifest in target.Manifests)
            {
                output.WriteLine($"wrote {Path.Combine(target.Directory, manifest.RelativePath)}");
            }
        }

        return 0;
    }
}
