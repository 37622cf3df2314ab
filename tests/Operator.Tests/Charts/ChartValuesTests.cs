using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Imprint.Operator.Tests.Charts.Support;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Charts;

/// <summary>values.yaml, values.schema.json and the test values file describe the same keys, and every key is documented.</summary>
public sealed partial class ChartValuesTests
{
    private static readonly string ValuesPath = Path.Combine(Helm.Chart, "values.yaml");

    private static readonly JsonObject Values = YamlJson.ParseSingle(File.ReadAllText(ValuesPath))!.AsObject();

    private static readonly JsonObject Schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Helm.Chart, "values.schema.json")))!.AsObject();

    [Fact]
    public void Schema_declares_exactly_the_keys_of_values_yaml_and_refuses_others()
    {
        var problems = new List<string>();
        Compare(Values, Schema, "", problems);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_key_in_values_yaml_has_a_comment()
    {
        var lines = File.ReadAllLines(ValuesPath);
        var parents = new Stack<(int Indent, JsonObject? Schema)>();
        var undocumented = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var key = KeyLine().Match(lines[i]);
            if (!key.Success)
            {
                continue;
            }

            var indent = Indent(lines[i]);
            while (parents.Count > 0 && parents.Peek().Indent >= indent)
            {
                parents.Pop();
            }

            // Keys the schema declares must be documented; keys inside a passed-through value (the example
            // resources or securityContext) are covered by the comment of that value.
            var parentSchema = parents.Count == 0 ? Schema : parents.Peek().Schema;
            var schema = parentSchema?["properties"]?[key.Groups["key"].Value] as JsonObject;
            parents.Push((indent, schema));
            if (schema is null)
            {
                continue;
            }

            // A section (operator:, image:) is documented by the comments of the keys below it.
            var next = lines.Skip(i + 1).FirstOrDefault(l => l.Trim().Length > 0) ?? "";
            var isSection = schema["properties"] is not null && Indent(next) > indent && next.TrimStart().StartsWith('#');
            if (!isSection && (i == 0 || !lines[i - 1].TrimStart().StartsWith('#')))
            {
                undocumented.Add($"line {i + 1}: {lines[i].Trim()}");
            }
        }

        Assert.True(undocumented.Count == 0, "undocumented keys:\n" + string.Join("\n", undocumented));
    }

    [Fact]
    public void The_everything_values_file_sets_every_key_to_a_non_default_value()
    {
        var everything = YamlJson.ParseSingle(File.ReadAllText(Helm.ValuesFile("everything.yaml")))!.AsObject();
        var missing = Leaves(Values, "").Where(leaf => Find(everything, leaf.Path) is var set
            && (set is null || JsonNode.DeepEquals(set, leaf.Value)) && leaf.Path is not ("/operator/leaderElection"
                or "/operator/serviceAccount/create" or "/agent/serviceAccount/create" or "/crds/install" or "/rbac/create"
                or "/operator/podDisruptionBudget/enabled" or "/operator/podSecurityContext" or "/operator/securityContext"))
            .Select(leaf => leaf.Path)
            .ToList();

        // The booleans listed above must stay on for the render to show what they enable; the others are off elsewhere.
        Assert.True(missing.Count == 0, "not set to a non-default value: " + string.Join(", ", missing));
    }

    private static void Compare(JsonObject values, JsonObject schema, string path, List<string> problems)
    {
        if (schema["additionalProperties"] is not JsonValue closed || closed.GetValue<bool>())
        {
            return;
        }

        var declared = schema["properties"]!.AsObject();
        foreach (var (key, value) in values)
        {
            if (declared[key] is not JsonObject child)
            {
                problems.Add($"{path}/{key} is in values.yaml but not in the schema");
            }
            else if (value is JsonObject nested && child["properties"] is not null)
            {
                Compare(nested, child, $"{path}/{key}", problems);
            }
        }

        problems.AddRange(declared.Where(d => !values.ContainsKey(d.Key)).Select(d => $"{path}/{d.Key} is in the schema but not in values.yaml"));
    }

    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonObject node, string path)
    {
        foreach (var (key, value) in node)
        {
            var childPath = $"{path}/{key}";
            if (value is JsonObject { Count: > 0 } map && key is not ("resources" or "podSecurityContext" or "securityContext"))
            {
                foreach (var leaf in Leaves(map, childPath))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (childPath, value);
            }
        }
    }

    private static JsonNode? Find(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node?[part];
        }

        return node;
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    [GeneratedRegex(@"^\s*(?<key>[A-Za-z][A-Za-z0-9]*):( |$)")]
    private static partial Regex KeyLine();
}
