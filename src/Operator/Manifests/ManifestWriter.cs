namespace Imprint.Operator.Manifests;

/// <summary>Generates every manifest (config/crd, config/rbac), writes them to a folder, or reports which files drifted.</summary>
public static class ManifestWriter
{
    public static IReadOnlyList<GeneratedManifest> GenerateAll() => [.. CrdGenerator.Generate(), .. RbacGenerator.Generate(), VolumePopulatorGenerator.Generate()];

    /// <summary>Folders of config/ that hold only generated files.</summary>
    public static IReadOnlyList<string> ConfigOwnedFolders { get; } = ["crd", "populator"];

    /// <summary>Writes the files under <paramref name="outputDirectory"/> and removes stale generated CRD files.</summary>
    public static void Write(string outputDirectory, IEnumerable<GeneratedManifest> manifests, IReadOnlyList<string>? ownedFolders = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var list = manifests.ToList();
        foreach (var manifest in list)
        {
            var path = FullPath(outputDirectory, manifest);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, manifest.Content);
        }

        foreach (var stale in StaleFiles(outputDirectory, list, ownedFolders ?? ConfigOwnedFolders))
        {
            File.Delete(Path.Combine(outputDirectory, stale));
        }
    }

    /// <summary>
    /// Relative paths whose file is missing or differs from the generated text, plus CRD files no kind produces any
    /// more; empty when the folder is up to date.
    /// </summary>
    public static IReadOnlyList<string> FindDrift(string outputDirectory, IEnumerable<GeneratedManifest> manifests, IReadOnlyList<string>? ownedFolders = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var list = manifests.ToList();
        var drifted = list
            .Where(m => !File.Exists(FullPath(outputDirectory, m)) || File.ReadAllText(FullPath(outputDirectory, m)) != m.Content)
            .Select(m => m.RelativePath)
            .Concat(StaleFiles(outputDirectory, list, ownedFolders ?? ConfigOwnedFolders));
        return [.. drifted.Order(StringComparer.Ordinal)];
    }

    private static string FullPath(string outputDirectory, GeneratedManifest manifest) =>
        Path.Combine(outputDirectory, manifest.RelativePath.Replace('/', Path.DirectorySeparatorChar));

    // config/crd (and the chart's templates/crds, templates/rbac) hold only generated files, so a file there that
    // nothing produces is stale (a renamed or removed kind).
    private static IEnumerable<string> StaleFiles(string outputDirectory, IReadOnlyList<GeneratedManifest> manifests, IReadOnlyList<string> ownedFolders)
    {
        var generated = manifests.Select(m => m.RelativePath).ToHashSet(StringComparer.Ordinal);
        return ownedFolders
            .Where(folder => Directory.Exists(Path.Combine(outputDirectory, folder)))
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(outputDirectory, folder), "*.yaml")
                .Select(f => folder + "/" + Path.GetFileName(f)))
            .Where(f => !generated.Contains(f))
            .ToList();
    }
}
