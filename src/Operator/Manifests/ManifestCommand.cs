namespace Imprint.Operator.Manifests;

/// <summary>
/// <c>imprint-operator manifests [--output DIR] [--check]</c>: writes config/crd and config/rbac, or with --check
/// lists the files that differ from what the code generates and exits 1 (for CI and the drift test).
/// </summary>
public static class ManifestCommand
{
    public const string Usage = "usage: manifests [--output DIR] [--check]";

    /// <summary>Returns 0 on success, 1 when --check found drift, 2 on bad arguments.</summary>
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var outputDirectory = "config";
        var check = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" when i + 1 < args.Length:
                    outputDirectory = args[++i];
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

        var manifests = ManifestWriter.GenerateAll();
        if (check)
        {
            var drifted = ManifestWriter.FindDrift(outputDirectory, manifests);
            foreach (var path in drifted)
            {
                error.WriteLine($"{Path.Combine(outputDirectory, path)} is out of date");
            }

            if (drifted.Count > 0)
            {
                error.WriteLine("run make manifests");
                return 1;
            }

            output.WriteLine($"{manifests.Count} manifests in {outputDirectory} are up to date");
            return 0;
        }

        ManifestWriter.Write(outputDirectory, manifests);
        foreach (var manifest in manifests)
        {
            output.WriteLine($"wrote {Path.Combine(outputDirectory, manifest.RelativePath)}");
        }

        return 0;
    }
}
