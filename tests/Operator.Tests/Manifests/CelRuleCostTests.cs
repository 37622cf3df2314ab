using System.Text.Json.Nodes;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Manifests;

/// <summary>
/// The API server refuses a CRD whose validation rules may cost too much (per rule and per CRD), a check the fake API
/// server does not make. Every rule of every CRD in config/crd goes through <see cref="CelCostEstimate"/>, which
/// over-estimates upstream's static estimate and also demands the bounds that estimate relies on: maxItems or
/// maxProperties on every list or map above a rule, maxLength on every string a rule regex-matches or searches.
/// </summary>
public sealed class CelRuleCostTests
{
    public static TheoryData<string> Crds() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryPaths.Config, "crd"), "imprint.dev_*.yaml").Select(f => new FileInfo(f).Name).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Crds))]
    public async Task Every_rule_stays_within_the_api_servers_cost_limits_with_the_bounds_its_estimate_needs(string file)
    {
        var crd = YamlJson.ParseSingle(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Config, "crd", file)))!.AsObject();
        foreach (var version in crd["spec"]!["versions"]!.AsArray().OfType<JsonObject>())
        {
            var rules = CelCostEstimate.Estimate(version["schema"]!["openAPIV3Schema"]!.AsObject());
            Assert.NotEmpty(rules);
            var failures = rules
                .Where(r => r.Cost > CelCostEstimate.PerRuleLimit || r.Problems.Count > 0)
                .Select(r => $"{r.Path}: cost {r.Cost} = {r.PerCall} x {r.Cardinality}{string.Concat(r.Problems.Select(p => "; " + p))} — {r.Rule}")
                .ToList();
            Assert.True(failures.Count == 0, $"{file} {version["name"]}: {failures.Count} rule(s) over the limit or unbounded:\n" + string.Join("\n", failures));
            var total = rules.Aggregate(0L, (sum, r) => sum > long.MaxValue - r.Cost ? long.MaxValue : sum + r.Cost);
            Assert.True(total <= CelCostEstimate.PerCrdLimit, $"{file} {version["name"]}: the rules together cost {total} > {CelCostEstimate.PerCrdLimit}");
        }
    }

    [Fact]
    public void Estimate_flags_a_regex_over_an_unbounded_string_in_an_unbounded_list()
    {
        // What the check exists for: the shape a real API server refuses.
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"names":{"type":"array","items":{"type":"string",
              "x-kubernetes-validations":[{"rule":"self.matches('^[a-z]+$')"}]}}}}
            """)!.AsObject();

        var rule = Assert.Single(CelCostEstimate.Estimate(schema));

        Assert.True(rule.Cost > CelCostEstimate.PerRuleLimit, $"cost {rule.Cost}");
        Assert.Contains(rule.Problems, p => p.Contains("list .names has no bound", StringComparison.Ordinal));
        Assert.Contains(rule.Problems, p => p.Contains("no maxLength", StringComparison.Ordinal));
    }

    [Fact]
    public void Estimate_of_a_bounded_regex_is_upstreams_formula_times_the_list_bound()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"names":{"type":"array","maxItems":10,"items":{"type":"string","maxLength":99,
              "x-kubernetes-validations":[{"rule":"self.matches('^[a-z]+$')"}]}}}}
            """)!.AsObject();

        var rule = Assert.Single(CelCostEstimate.Estimate(schema));

        // ceil(0.1 x (99 + 1)) x ceil(0.25 x 8) = 10 x 2, plus one per character of code outside the literal.
        Assert.Empty(rule.Problems);
        Assert.Equal(10, rule.Cardinality);
        Assert.Equal(20 + "self.matches('')".Length, rule.PerCall);
    }
}
