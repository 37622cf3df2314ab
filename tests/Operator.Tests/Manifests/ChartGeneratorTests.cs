using System.Text.RegularExpressions;
using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Manifests.Support;

namespace Imprint.Operator.Tests.Manifests;

public sealed partial class ChartGeneratorTests
{
    private static readonly IReadOnlyList<GeneratedManifest> Files = ChartGenerator.Generate();

    [Fact]
    public void Generates_one_crd_template_per_kind_the_six_rbac_templates_and_the_volume_populator_inside_the_owned_folders()
    {
        var crds = CrdGenerator.Generate().Where(m => m.RelativePath != "crd/kustomization.yaml")
            .Select(m => "templates/crds/" + Path.GetFileName(m.RelativePath));
        var rbac = RbacGenerator.Generate().Where(m => m.RelativePath != "rbac/kustomization.yaml")
            .Select(m => "templates/rbac/" + Path.GetFileName(m.RelativePath));

        Assert.Equal([.. crds, .. rbac, "templates/populator/clonetemplate_volumepopulator.yaml"], Files.Select(f => f.RelativePath));
        Assert.All(Files, f => Assert.Contains(ChartGenerator.OwnedFolders, folder => f.RelativePath.StartsWith(folder + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_placeholder_becomes_a_helm_expression_and_every_helper_it_calls_exists()
    {
        var helpers = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "charts", "imprint", "templates", "_helpers.tpl"));
        var defined = Define().Matches(helpers).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        foreach (var file in Files)
        {
            Assert.DoesNotContain("@@", file.Content, StringComparison.Ordinal);
            Assert.StartsWith("# " + ChartGenerator.Header + "\n{{- if ", file.Content, StringComparison.Ordinal);
            Assert.All(Include().Matches(file.Content), m => Assert.Contains(m.Groups[1].Value, defined));
        }
    }

    [Fact]
    public void Rbac_templates_keep_the_rules_of_config_rbac_verbatim()
    {
        foreach (var name in new[] { "role.yaml", "leader_election_role.yaml" })
        {
            var config = RbacGenerator.Generate().Single(m => m.RelativePath == "rbac/" + name).Content;
            var template = Files.Single(f => f.RelativePath == "templates/rbac/" + name).Content;

            Assert.Equal(Rules(config), Rules(template));
        }
    }

    // The text from "rules:" to the end of the document (the template's closing {{- end }} left out).
    private static string Rules(string yaml) => yaml[yaml.IndexOf("\nrules:\n", StringComparison.Ordinal)..].Replace("{{- end }}\n", "", StringComparison.Ordinal);

    [GeneratedRegex("""\{\{-? define "([^"]+)" -?\}\}""")]
    private static partial Regex Define();

    [GeneratedRegex("""include "([^"]+)" """)]
    private static partial Regex Include();
}
