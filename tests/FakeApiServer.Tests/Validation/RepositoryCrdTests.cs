using System.Net;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests.Validation;

/// <summary>
/// Every CRD in config/crd goes through the fake, and every x-kubernetes-validations rule in them is both compiled
/// and seen rejecting an object: a rule the fake's CEL evaluator could not handle fails here instead of being skipped.
/// </summary>
public sealed class RepositoryCrdTests
{
    private const string GoldenImages = "/apis/imprint.dev/v1alpha1/namespaces/a/goldenimages";
    private const string VmClones = "/apis/imprint.dev/v1alpha1/namespaces/a/vmclones";
    private const string CloneTemplates = "/apis/imprint.dev/v1alpha1/namespaces/a/clonetemplates";
    private const string UnknownPlaceholder = "{{ .claim.uid }}";

    [Fact]
    public async Task Every_rule_in_config_crd_compiles_and_its_definition_is_accepted()
    {
        await using var api = await TestApi.StartAsync();
        var rules = RepositoryFiles.Documents(Path.Combine("config", "crd")).SelectMany(crd => Rules(crd)).ToList();

        await RepositoryFiles.RegisterCrdsAsync(api);

        Assert.True(rules.Count >= 13, $"only {rules.Count} rules found");
        Assert.All(rules, rule => CelProgram.Compile(rule));
        // The placeholder-grammar rules (one per templated string field) are each exercised by PlaceholderRuleSites.
        var plain = rules.Where(r => !IsPlaceholderRule(r)).Distinct().ToList();
        Assert.Equal(plain.Count, RuleCases.Select(c => (string)c[0]).Distinct().Count(plain.Contains));
        Assert.Equal(rules.Count(IsPlaceholderRule), PlaceholderRuleSites.Count);
    }

    /// <summary>Every string field of a CloneTemplate that carries the placeholder-grammar rule, by its schema path.</summary>
    public static TheoryData<string> PlaceholderRuleSites
    {
        get
        {
            var crd = RepositoryFiles.Documents(Path.Combine("config", "crd")).Single(d => (string?)d["spec"]!["names"]!["kind"] == "CloneTemplate");
            var schema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"];
            var sites = new TheoryData<string>();
            foreach (var site in RuleSites(schema, string.Empty).Where(s => IsPlaceholderRule(s.Rule)))
            {
                sites.Add(site.Path);
            }

            return sites;
        }
    }

    [Theory]
    [MemberData(nameof(PlaceholderRuleSites))]
    public async Task Each_templated_field_rejects_an_unknown_placeholder(string path)
    {
        await using var api = await TestApi.StartAsync();
        await RepositoryFiles.RegisterCrdsAsync(api);
        var template = RepositoryFiles.Sample("imprint.dev_v1alpha1_clonetemplate.yaml");
        var field = Place(template, path.TrimStart('.').Split('.'), UnknownPlaceholder);

        var (status, body) = await api.PostAsync(CloneTemplates, template.ToJsonString());

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{path}: '{UnknownPlaceholder}' let through: {body.ToJsonString()}");
        Assert.Contains(body["details"]!["causes"]!.AsArray(), c => (string?)c!["field"] == field
            && ((string?)c["message"])!.Contains("may use only the placeholders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Samples_pass_every_rule()
    {
        await using var api = await TestApi.StartAsync();
        await RepositoryFiles.RegisterCrdsAsync(api);

        await api.CreateAsync(GoldenImages, RepositoryFiles.Sample("imprint.dev_v1alpha1_goldenimage_pvc.yaml").ToJsonString());
        await api.CreateAsync(GoldenImages, RepositoryFiles.Sample("imprint.dev_v1alpha1_goldenimage_http.yaml").ToJsonString());
        await api.CreateAsync(GoldenImages, RepositoryFiles.Sample("imprint.dev_v1alpha1_goldenimage_layered.yaml").ToJsonString());
        // Only a checksum file (updatePolicy.checksumUrl), no fixed spec.source.http.checksum.
        await api.CreateAsync(GoldenImages, RepositoryFiles.Sample("imprint.dev_v1alpha1_goldenimage_updates.yaml").ToJsonString());
        await api.CreateAsync(VmClones, RepositoryFiles.Sample("imprint.dev_v1alpha1_vmclone.yaml").ToJsonString());
    }

    /// <summary>One violation per rule: (rule text, sample, JSON patch applied before create, JSON patch sent as update or null).</summary>
    public static TheoryData<string, string, string, string?> RuleCases => new()
    {
        { "!('*' in self) || self.size() == 1", "goldenimage_pvc", """[{"op":"replace","path":"/spec/sharing/namespaces","value":["*","b"]}]""", null },
        { "[has(self.pvc), has(self.http), has(self.goldenImage)].filter(x, x).size() == 1", "goldenimage_pvc", """[{"op":"add","path":"/spec/source/goldenImage","value":{"name":"base"}}]""", null },
        { "!has(self.customize) || has(self.source.goldenImage)", "goldenimage_pvc", """[{"op":"add","path":"/spec/customize","value":{"timezone":"UTC"}}]""", null },
        { "!has(self.customize) || !has(self.customize.hostname)", "goldenimage_layered", """[{"op":"add","path":"/spec/customize/hostname","value":"web"}]""", null },
        { "!has(self.customize) || !has(self.customize.sshHostKeys) || self.customize.sshHostKeys != 'Keep'", "goldenimage_layered", """[{"op":"add","path":"/spec/customize/sshHostKeys","value":"Keep"}]""", null },
        { "!has(self.customize) || !has(self.customize.machineId) || self.customize.machineId != 'Keep'", "goldenimage_layered", """[{"op":"add","path":"/spec/customize/machineId","value":"Keep"}]""", null },
        { "type(self) == int ? self > 0 : self.matches('^[+]?0*[.]?0*[1-9]')", "goldenimage_pvc", """[{"op":"add","path":"/spec/storage/size","value":"0Gi"}]""", null },
        { "self == oldSelf", "goldenimage_pvc", "[]", """[{"op":"replace","path":"/spec/source/pvc/name","value":"other"}]""" },
        { "!has(oldSelf.seal) || has(self.seal)", "goldenimage_pvc", """[{"op":"add","path":"/spec/seal","value":{"operations":["machine-id"]}}]""", """[{"op":"remove","path":"/spec/seal"}]""" },
        { "[has(self.content), has(self.secretRef), has(self.configMapRef)].filter(x, x).size() == 1", "vmclone", """[{"op":"add","path":"/spec/customize/files/0/secretRef","value":{"name":"s","key":"k"}}]""", null },
        { "has(self.secretKeyRef) != (has(self.lock) && self.lock)", "vmclone", """[{"op":"replace","path":"/spec/customize/rootPassword/lock","value":false}]""", null },
        { "type(self) == int ? self >= 1 : self == 'auto'", "vmclone", """[{"op":"replace","path":"/spec/resize/partition","value":0}]""", null },
        { "type(self) == int ? self > 0 : self.matches('^[+]?0*[.]?0*[1-9]')", "vmclone", """[{"op":"replace","path":"/spec/target/size","value":0}]""", null },
        { "self == oldSelf", "vmclone", "[]", """[{"op":"replace","path":"/spec/goldenImage/name","value":"other"}]""" },
        { "self == oldSelf", "vmclone", "[]", """[{"op":"replace","path":"/spec/customize/hostname","value":"other"}]""" },
        { "!has(oldSelf.customize) || has(self.customize)", "vmclone", "[]", """[{"op":"remove","path":"/spec/customize"}]""" },
        { "self == oldSelf", "goldenimage_pvc", """[{"op":"add","path":"/spec/seal","value":{"operations":["machine-id"]}}]""", """[{"op":"replace","path":"/spec/seal/operations","value":["ssh-host-keys"]}]""" },
        { "!(has(self.seal) && has(self.seal.shrink) && self.seal.shrink && has(self.storage) && has(self.storage.volumeMode) && self.storage.volumeMode == 'Block')", "goldenimage_pvc", """[{"op":"add","path":"/spec/seal","value":{"shrink":true}},{"op":"add","path":"/spec/storage/volumeMode","value":"Block"}]""", null },
        { "!has(self.updatePolicy) || has(self.source.http) || has(self.source.goldenImage)", "goldenimage_pvc", """[{"op":"add","path":"/spec/updatePolicy","value":{"schedule":"0 3 * * 1"}}]""", null },
        { "!has(self.updatePolicy) || !has(self.source.http) || has(self.updatePolicy.schedule)", "goldenimage_http", """[{"op":"add","path":"/spec/updatePolicy","value":{"keepRevisions":2}}]""", null },
        { "!has(self.source.http) || has(self.source.http.checksum) || (has(self.updatePolicy) && has(self.updatePolicy.checksumUrl))", "goldenimage_http", """[{"op":"remove","path":"/spec/source/http/checksum"},{"op":"add","path":"/spec/updatePolicy","value":{"schedule":"0 3 * * 1"}}]""", null },
        { "!has(self.updatePolicy) || !has(self.updatePolicy.followParent) || !self.updatePolicy.followParent || has(self.source.goldenImage)", "goldenimage_http", """[{"op":"add","path":"/spec/updatePolicy","value":{"schedule":"0 3 * * 1","followParent":true}}]""", null },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public async Task Each_rule_rejects_its_violation(string rule, string sample, string createPatch, string? updatePatch)
    {
        await using var api = await TestApi.StartAsync();
        await RepositoryFiles.RegisterCrdsAsync(api);
        var path = sample.StartsWith("goldenimage", StringComparison.Ordinal) ? GoldenImages : VmClones;
        var obj = JsonPatch.Apply(RepositoryFiles.Sample($"imprint.dev_v1alpha1_{sample}.yaml"), JsonNode.Parse(createPatch));

        var (status, body) = updatePatch is null
            ? await api.PostAsync(path, obj.ToJsonString())
            : await UpdateAsync(api, path, obj, updatePatch);

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"'{rule}' let through: {body.ToJsonString()}");
        var messages = body["details"]!["causes"]!.AsArray().Select(c => (string?)c!["message"]).ToList();
        Assert.DoesNotContain(messages, m => m!.Contains("evaluation error", StringComparison.Ordinal));
        var ruleMessages = RepositoryFiles.Documents(Path.Combine("config", "crd")).SelectMany(Validations)
            .Where(v => (string?)v["rule"] == rule).Select(v => (string)v["message"]!).ToList();
        Assert.Contains(messages, m => ruleMessages.Exists(r => m!.EndsWith(r, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_size_that_is_no_quantity_fails_the_int_or_string_pattern()
    {
        await using var api = await TestApi.StartAsync();
        await RepositoryFiles.RegisterCrdsAsync(api);
        var golden = JsonPatch.Apply(RepositoryFiles.Sample("imprint.dev_v1alpha1_goldenimage_pvc.yaml"),
            JsonNode.Parse("""[{"op":"add","path":"/spec/storage/size","value":"banana"}]"""));

        var (status, body) = await api.PostAsync(GoldenImages, golden.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(body["details"]!["causes"]!.AsArray(), c => (string?)c!["field"] == "spec.storage.size" && ((string?)c["message"])!.Contains("should match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicate_keys_of_a_map_list_are_rejected()
    {
        await using var api = await TestApi.StartAsync();
        await RepositoryFiles.RegisterCrdsAsync(api);
        var clone = JsonPatch.Apply(RepositoryFiles.Sample("imprint.dev_v1alpha1_vmclone.yaml"),
            JsonNode.Parse("""[{"op":"add","path":"/spec/customize/files/-","value":{"path":"/etc/motd","content":"again"}}]"""));

        var (status, body) = await api.PostAsync(VmClones, clone.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var cause = Assert.Single(body["details"]!["causes"]!.AsArray());
        Assert.Equal("FieldValueDuplicate", (string?)cause!["reason"]);
        Assert.Equal("spec.customize.files[1]", (string?)cause["field"]);
    }

    [Theory]
    [InlineData("Web_01")]
    [InlineData("web-01-")]
    public async Task A_custom_resource_name_must_be_a_dns_subdomain(string name)
    {
        await using var api = await TestApi.StartAsync();
        await RepositoryFiles.RegisterCrdsAsync(api);
        var clone = RepositoryFiles.Sample("imprint.dev_v1alpha1_vmclone.yaml");
        clone["metadata"]!["name"] = name;

        var (status, body) = await api.PostAsync(VmClones, clone.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("metadata.name", (string?)body["details"]!["causes"]![0]!["field"]);
    }

    private static async Task<(HttpStatusCode, JsonObject)> UpdateAsync(TestApi api, string path, JsonObject obj, string patch)
    {
        var created = await api.CreateAsync(path, obj.ToJsonString());
        return await api.PatchAsync($"{path}/{created["metadata"]!["name"]}", patch, "application/json-patch+json");
    }

    private static bool IsPlaceholderRule(string rule) => rule.Contains("self.contains('{{')", StringComparison.Ordinal);

    private static IEnumerable<(string Path, string Rule)> RuleSites(JsonNode? schema, string path)
    {
        if (schema is not JsonObject obj)
        {
            yield break;
        }

        foreach (var rule in (obj["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return (path, (string)rule["rule"]!);
        }

        foreach (var property in obj["properties"] as JsonObject ?? [])
        {
            foreach (var site in RuleSites(property.Value, $"{path}.{property.Key}"))
            {
                yield return site;
            }
        }

        foreach (var site in RuleSites(obj["items"], path + "[]"))
        {
            yield return site;
        }
    }

    /// <summary>
    /// Puts <paramref name="value"/> at a schema path (".spec.customize.users[].name") of <paramref name="node"/>,
    /// through the first element of each list (made when missing); returns the field path the API server reports.
    /// </summary>
    private static string Place(JsonObject node, string[] segments, string value)
    {
        JsonNode current = node;
        var field = new List<string>();
        for (var i = 0; i < segments.Length; i++)
        {
            var isList = segments[i].EndsWith("[]", StringComparison.Ordinal);
            var name = isList ? segments[i][..^2] : segments[i];
            var last = i == segments.Length - 1;
            var parent = current.AsObject();
            field.Add(name + (isList ? "[0]" : string.Empty));
            if (!isList)
            {
                current = last ? parent[name] = value : parent[name] as JsonObject ?? (parent[name] = new JsonObject());
                continue;
            }

            var list = parent[name] as JsonArray ?? (JsonArray)(parent[name] = new JsonArray());
            if (last)
            {
                list.Clear();
                list.Add(value);
                break;
            }

            if (list.Count == 0)
            {
                list.Add(new JsonObject());
            }

            current = list[0]!;
        }

        return string.Join('.', field);
    }

    private static IEnumerable<string> Rules(JsonNode? schema) => Validations(schema).Select(v => (string)v["rule"]!);

    private static IEnumerable<JsonObject> Validations(JsonNode? schema) => schema switch
    {
        JsonObject obj => (obj["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>()
            .Concat(obj.Where(p => p.Key != "x-kubernetes-validations").SelectMany(p => Validations(p.Value))),
        JsonArray array => array.SelectMany(Validations),
        _ => [],
    };
}
