using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Manifests.Support;

namespace Imprint.Operator.Tests.Manifests;

public sealed class ManifestWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("imprint-manifests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Committed_config_crd_and_rbac_match_the_code()
    {
        var drifted = ManifestWriter.FindDrift(RepositoryPaths.Config, ManifestWriter.GenerateAll());
        Assert.True(
            drifted.Count == 0,
            $"config/ differs from what the C# types generate ({string.Join(", ", drifted)}): run make manifests");
    }

    [Fact]
    public void Committed_chart_crd_and_rbac_templates_match_the_code()
    {
        var chart = Path.Combine(RepositoryPaths.Root, "charts", "imprint");
        var drifted = ManifestWriter.FindDrift(chart, ChartGenerator.Generate(), ChartGenerator.OwnedFolders);
        Assert.True(
            drifted.Count == 0,
            $"charts/imprint differs from what the C# types generate ({string.Join(", ", drifted)}): run make manifests");
    }

    [Fact]
    public void A_stale_chart_template_is_drift_and_write_removes_it()
    {
        var manifests = ChartGenerator.Generate();
        ManifestWriter.Write(_directory, manifests, ChartGenerator.OwnedFolders);
        var stale = Path.Combine(_directory, "templates", "rbac", "old_role.yaml");
        File.WriteAllText(stale, "kind: Role\n");
        File.AppendAllText(Path.Combine(_directory, "templates", "crds", "imprint.dev_vmclones.yaml"), "# hand edit\n");

        Assert.Equal(
            ["templates/crds/imprint.dev_vmclones.yaml", "templates/rbac/old_role.yaml"],
            ManifestWriter.FindDrift(_directory, manifests, ChartGenerator.OwnedFolders));
        ManifestWriter.Write(_directory, manifests, ChartGenerator.OwnedFolders);
        Assert.False(File.Exists(stale));
        Assert.Empty(ManifestWriter.FindDrift(_directory, manifests, ChartGenerator.OwnedFolders));
    }

    [Fact]
    public void Written_files_show_no_drift_until_one_is_edited()
    {
        var manifests = ManifestWriter.GenerateAll();
        ManifestWriter.Write(_directory, manifests);
        Assert.Empty(ManifestWriter.FindDrift(_directory, manifests));

        var role = Path.Combine(_directory, "rbac", "role.yaml");
        File.AppendAllText(role, "# hand edit\n");
        File.Delete(Path.Combine(_directory, "crd", "imprint.dev_vmclones.yaml"));

        Assert.Equal(["crd/imprint.dev_vmclones.yaml", "rbac/role.yaml"], ManifestWriter.FindDrift(_directory, manifests));
    }

    [Fact]
    public void A_crd_file_no_kind_produces_is_stale_and_write_removes_it()
    {
        var manifests = ManifestWriter.GenerateAll();
        ManifestWriter.Write(_directory, manifests);
        var stale = Path.Combine(_directory, "crd", "imprint.dev_oldkinds.yaml");
        File.WriteAllText(stale, "kind: CustomResourceDefinition\n");

        Assert.Equal(["crd/imprint.dev_oldkinds.yaml"], ManifestWriter.FindDrift(_directory, manifests));
        ManifestWriter.Write(_directory, manifests);
        Assert.False(File.Exists(stale));
    }
}
