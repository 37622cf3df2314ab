using System.Text.Json.Nodes;
using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Manifests;

public sealed class RbacGeneratorTests
{
    private static readonly IReadOnlyList<RbacRule> ClusterRules = RbacGenerator.CollectRules(RbacScope.Cluster);

    [Theory]
    [InlineData("imprint.dev", "goldenimages", "get,list,patch,update,watch")]
    [InlineData("imprint.dev", "vmclones", "create,delete,get,list,patch,update,watch")]
    [InlineData("imprint.dev", "clonetemplates", "get,list,watch")]
    [InlineData("", "persistentvolumes", "get,patch")]
    [InlineData("cdi.kubevirt.io", "datavolumes", "get")]
    [InlineData("imprint.dev", "vmclones/status", "get,patch,update")]
    [InlineData("imprint.dev", "goldenimages/finalizers", "update")]
    [InlineData("", "persistentvolumeclaims", "create,delete,get,list,patch,watch")]
    [InlineData("batch", "jobs", "create,delete,get,list,watch")]
    [InlineData("", "pods", "get,list,watch")]
    [InlineData("", "pods/log", "get")]
    [InlineData("", "secrets", "create,delete,get,list")]
    [InlineData("", "configmaps", "create,delete,get,list")]
    [InlineData("", "events", "get,list")]
    [InlineData("", "serviceaccounts", "create,get")]
    [InlineData("events.k8s.io", "events", "create,get,list,patch,update")]
    [InlineData("storage.k8s.io", "storageclasses", "get,list,watch")]
    [InlineData("snapshot.storage.k8s.io", "volumesnapshots", "create,delete,get,list,watch")]
    public void Cluster_role_grants_exactly_the_declared_verbs(string group, string resource, string verbs)
    {
        var rule = Assert.Single(ClusterRules, r => r.ApiGroup == group && r.Resources.Contains(resource));
        Assert.Equal(verbs, string.Join(",", rule.Verbs));
    }

    [Fact]
    public void Rules_are_merged_per_group_and_verbs_and_sorted()
    {
        var keys = ClusterRules.Select(r => (r.ApiGroup, r.Resources[0])).ToList();
        Assert.Equal(keys.OrderBy(k => k.ApiGroup, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal), keys);
        Assert.All(ClusterRules, r => Assert.Equal(r.Verbs.Order(StringComparer.Ordinal), r.Verbs));
        Assert.Equal(ClusterRules.Count, ClusterRules.Select(r => (r.ApiGroup, string.Join(",", r.Verbs))).Distinct().Count());
        var statusRule = Assert.Single(ClusterRules, r => r.Resources.Contains("goldenimages/status"));
        Assert.Equal(["clonetemplates/status", "goldenimages/status", "vmclones/status"], statusRule.Resources);
    }

    [Fact]
    public void Leases_are_granted_only_in_the_operator_namespace()
    {
        Assert.DoesNotContain(ClusterRules, r => r.Resources.Contains("leases"));
        var lease = Assert.Single(RbacGenerator.CollectRules(RbacScope.OperatorNamespace));
        Assert.Equal(("coordination.k8s.io", "leases", "create,get,update"), (lease.ApiGroup, lease.Resources.Single(), string.Join(",", lease.Verbs)));
    }

    [Fact]
    public void Files_bind_the_operator_account_and_leave_the_agent_without_token_or_roles()
    {
        var files = RbacGenerator.Generate().ToDictionary(m => m.RelativePath, m => YamlJson.ParseSingle(m.Content)!);

        Assert.Equal("ClusterRole", (string?)files["rbac/role.yaml"]["kind"]);
        Assert.Equal(RbacGenerator.OperatorName, (string?)files["rbac/role.yaml"]["metadata"]!["name"]);
        var binding = files["rbac/role_binding.yaml"];
        Assert.Equal(("ClusterRole", RbacGenerator.OperatorName), ((string?)binding["roleRef"]!["kind"], (string?)binding["roleRef"]!["name"]));
        Assert.Equal(RbacGenerator.OperatorName, (string?)binding["subjects"]![0]!["name"]);
        var leaderBinding = files["rbac/leader_election_role_binding.yaml"];
        Assert.Equal(("Role", RbacGenerator.LeaderElectionRoleName), ((string?)leaderBinding["roleRef"]!["kind"], (string?)leaderBinding["roleRef"]!["name"]));

        var agent = files["rbac/agent_service_account.yaml"];
        Assert.Equal(("ServiceAccount", RbacGenerator.AgentServiceAccountName), ((string?)agent["kind"], (string?)agent["metadata"]!["name"]));
        Assert.False((bool?)agent["automountServiceAccountToken"]);
        Assert.DoesNotContain(files.Values, f => f["subjects"]?.AsArray().Any(s => (string?)s!["name"] == RbacGenerator.AgentServiceAccountName) == true);

        var kustomization = files["rbac/kustomization.yaml"]["resources"]!.AsArray().Select(r => "rbac/" + (string?)r).ToList();
        Assert.Equal(files.Keys.Where(k => k != "rbac/kustomization.yaml").Order(), kustomization.Order());
    }

    [Fact]
    public void Role_yaml_lists_the_collected_rules()
    {
        var role = YamlJson.ParseSingle(RbacGenerator.Generate().Single(m => m.RelativePath == "rbac/role.yaml").Content)!;

        var rules = role["rules"]!.AsArray()
            .Select(r => new RbacRule(
                (string)r!["apiGroups"]![0]!,
                [.. r["resources"]!.AsArray().Select(x => (string)x!)],
                [.. r["verbs"]!.AsArray().Select(x => (string)x!)]))
            .ToList();
        Assert.Equal(ClusterRules.Count, rules.Count);
        Assert.All(ClusterRules.Zip(rules), p =>
        {
            Assert.Equal(p.First.ApiGroup, p.Second.ApiGroup);
            Assert.Equal(p.First.Resources, p.Second.Resources);
            Assert.Equal(p.First.Verbs, p.Second.Verbs);
        });
        Assert.IsType<JsonArray>(role["rules"]);
    }
}
