using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis;
using Imprint.Operator.Apis.Schema;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Manifests;

public sealed class CrdGeneratorTests
{
    private static readonly JsonObject GoldenSchema = CrdGenerator.BuildSchema(typeof(V1Alpha1GoldenImage));
    private static readonly JsonObject CloneSchema = CrdGenerator.BuildSchema(typeof(V1Alpha1VmClone));

    [Fact]
    public void Discovers_exactly_the_three_imprint_kinds()
    {
        Assert.Equal([typeof(V1Alpha1CloneTemplate), typeof(V1Alpha1GoldenImage), typeof(V1Alpha1VmClone)], CrdGenerator.DiscoverEntities());
        Assert.Equal(
            ["crd/imprint.dev_clonetemplates.yaml", "crd/imprint.dev_goldenimages.yaml", "crd/imprint.dev_vmclones.yaml", "crd/kustomization.yaml"],
            CrdGenerator.Generate().Select(m => m.RelativePath));
    }

    [Theory]
    [InlineData(typeof(V1Alpha1GoldenImage), "spec", typeof(V1Alpha1GoldenImage.GoldenImageSpec))]
    [InlineData(typeof(V1Alpha1GoldenImage), "status", typeof(V1Alpha1GoldenImage.GoldenImageStatus))]
    [InlineData(typeof(V1Alpha1VmClone), "spec", typeof(V1Alpha1VmClone.VmCloneSpec))]
    [InlineData(typeof(V1Alpha1VmClone), "status", typeof(V1Alpha1VmClone.VmCloneStatus))]
    public void Every_property_appears_in_the_schema_with_its_type(Type entity, string field, Type section)
    {
        var schema = (JsonObject)CrdGenerator.BuildSchema(entity)["properties"]![field]!;
        var checkedProperties = AssertMatches(section, schema, field);
        Assert.True(checkedProperties > 10, $"only {checkedProperties} properties checked under {field}");
    }

    [Fact]
    public void Spec_fields_all_carry_a_description()
    {
        var missing = new List<string>();
        CollectMissingDescriptions(GoldenSchema["properties"]!["spec"]!.AsObject(), "goldenimage.spec", missing);
        CollectMissingDescriptions(CloneSchema["properties"]!["spec"]!.AsObject(), "vmclone.spec", missing);
        Assert.Empty(missing);
    }

    [Fact]
    public void Enums_list_the_csharp_names_and_carry_their_defaults()
    {
        var spec = CloneSchema["properties"]!["spec"]!["properties"]!;
        Assert.Equal(["Auto", "CsiClone", "Snapshot", "Copy"], Strings(spec["strategy"]!["enum"]));
        Assert.Equal("Auto", (string?)spec["strategy"]!["default"]);
        Assert.Equal(["Retain", "Delete"], Strings(spec["reclaimPolicy"]!["enum"]));
        Assert.Equal("Retain", (string?)spec["reclaimPolicy"]!["default"]);
        var customize = spec["customize"]!["properties"]!;
        Assert.Equal("Regenerate", (string?)customize["sshHostKeys"]!["default"]);
        Assert.Equal(["Regenerate", "Keep"], Strings(customize["machineId"]!["enum"]));
        var status = CloneSchema["properties"]!["status"]!["properties"]!;
        Assert.Equal(Enum.GetNames<VmClonePhase>(), Strings(status["phase"]!["enum"]));
        Assert.Equal(["True", "False", "Unknown"], Strings(status["conditions"]!["items"]!["properties"]!["status"]!["enum"]));
        var storage = GoldenSchema["properties"]!["spec"]!["properties"]!["storage"]!["properties"]!;
        Assert.Equal("Filesystem", (string?)storage["volumeMode"]!["default"]);
        Assert.Equal(["ReadWriteOnce"], Strings(storage["accessModes"]!["default"]));
        Assert.Equal(Enum.GetNames<GoldenImagePhase>(), Strings(GoldenSchema["properties"]!["status"]!["properties"]!["phase"]!["enum"]));
    }

    [Fact]
    public void Required_fields_are_listed_on_their_parent()
    {
        Assert.Equal(["spec"], Strings(GoldenSchema["required"]));
        var goldenSpec = GoldenSchema["properties"]!["spec"]!;
        Assert.Equal(["source"], Strings(goldenSpec["required"]));
        // checksum is required by a rule on spec instead: unless updatePolicy.checksumUrl is given.
        Assert.Equal(["url"], Strings(goldenSpec["properties"]!["source"]!["properties"]!["http"]!["required"]));
        var cloneSpec = CloneSchema["properties"]!["spec"]!;
        Assert.Equal(["goldenImage"], Strings(cloneSpec["required"]));
        var file = cloneSpec["properties"]!["customize"]!["properties"]!["files"]!["items"]!;
        Assert.Equal(["path"], Strings(file["required"]));
        Assert.Null(CloneSchema["properties"]!["status"]!["required"]);
    }

    [Fact]
    public void Cel_rules_sit_on_the_fields_they_guard()
    {
        var goldenSpec = GoldenSchema["properties"]!["spec"]!;
        Assert.Contains("[has(self.pvc), has(self.http), has(self.goldenImage)].filter(x, x).size() == 1", Rules(goldenSpec["properties"]!["source"]));
        Assert.Contains(("self == oldSelf", "spec.source is immutable; create a new GoldenImage"), RulesWithMessages(goldenSpec["properties"]!["source"]));
        Assert.Contains(("self == oldSelf", "spec.seal is immutable; create a new GoldenImage"), RulesWithMessages(goldenSpec["properties"]!["seal"]));
        Assert.Equal(["!(has(self.seal) && has(self.seal.shrink) && self.seal.shrink && has(self.storage) && has(self.storage.volumeMode) && self.storage.volumeMode == 'Block')",
            "!has(self.customize) || has(self.source.goldenImage)",
            "!has(self.customize) || !has(self.customize.hostname)",
            "!has(self.customize) || !has(self.customize.sshHostKeys) || self.customize.sshHostKeys != 'Keep'",
            "!has(self.customize) || !has(self.customize.machineId) || self.customize.machineId != 'Keep'",
            "!has(self.updatePolicy) || has(self.source.http) || has(self.source.goldenImage)",
            "!has(self.updatePolicy) || !has(self.source.http) || has(self.updatePolicy.schedule)",
            "!has(self.source.http) || has(self.source.http.checksum) || (has(self.updatePolicy) && has(self.updatePolicy.checksumUrl))",
            "!has(self.updatePolicy) || !has(self.updatePolicy.followParent) || !self.updatePolicy.followParent || has(self.source.goldenImage)",
            "!has(oldSelf.customize) || has(self.customize)", "!has(oldSelf.seal) || has(self.seal)"], Rules(goldenSpec));

        var cloneSpec = CloneSchema["properties"]!["spec"]!;
        Assert.Contains(("self == oldSelf", "spec.customize is immutable; create a new VmClone"), RulesWithMessages(cloneSpec["properties"]!["customize"]));
        Assert.Contains("self == oldSelf", Rules(cloneSpec["properties"]!["goldenImage"]));
        Assert.Equal(["!has(oldSelf.customize) || has(self.customize)"], Rules(cloneSpec));
        var customize = cloneSpec["properties"]!["customize"]!["properties"]!;
        Assert.Contains("[has(self.content), has(self.secretRef), has(self.configMapRef)].filter(x, x).size() == 1",
            Rules(customize["files"]!["items"]));
        Assert.Contains("type(self) == int ? self > 0 : self.matches('^[+]?0*[.]?0*[1-9]')",
            Rules(cloneSpec["properties"]!["target"]!["properties"]!["size"]));
        Assert.Equal(SchemaPatterns.Rfc1123Hostname, (string?)customize["hostname"]!["pattern"]);
    }

    [Fact]
    public void Int_or_string_fields_accept_both_json_types()
    {
        var size = CloneSchema["properties"]!["spec"]!["properties"]!["target"]!["properties"]!["size"]!;
        var partition = CloneSchema["properties"]!["spec"]!["properties"]!["resize"]!["properties"]!["partition"]!;
        foreach (var field in new[] { size, partition })
        {
            Assert.True((bool?)field["x-kubernetes-int-or-string"]);
            Assert.Null(field["type"]);
            Assert.Equal(["integer", "string"], field["anyOf"]!.AsArray().Select(t => (string?)t!["type"]));
        }

        Assert.Equal("auto", (string?)partition["default"]);
    }

    [Fact]
    public void Crd_names_scope_columns_and_status_subresource_follow_the_attributes()
    {
        var golden = CrdGenerator.Build(typeof(V1Alpha1GoldenImage));
        Assert.Equal("goldenimages.imprint.dev", (string?)golden["metadata"]!["name"]);
        Assert.Equal("Namespaced", (string?)golden["spec"]!["scope"]);
        var names = golden["spec"]!["names"]!;
        Assert.Equal(["gi"], Strings(names["shortNames"]));
        Assert.Equal(["imprint"], Strings(names["categories"]));
        Assert.Equal("GoldenImageList", (string?)names["listKind"]);
        var version = golden["spec"]!["versions"]![0]!;
        Assert.Equal("v1alpha1", (string?)version["name"]);
        Assert.NotNull(version["subresources"]!["status"]);
        Assert.Equal(
            [("Phase", "string", ".status.phase"), ("Progress", "string", ".status.progress"),
             ("Size", "string", ".status.size"), ("Revision", "string", ".status.currentRevision"), ("Age", "date", ".metadata.creationTimestamp")],
            Columns(version));

        var clone = CrdGenerator.Build(typeof(V1Alpha1VmClone));
        Assert.Equal(["vmc"], Strings(clone["spec"]!["names"]!["shortNames"]));
        Assert.Equal(
            [("Phase", "string", ".status.phase"), ("Progress", "string", ".status.progress"),
             ("Golden", "string", ".spec.goldenImage.name"), ("Revision", "string", ".status.goldenImageRevision"), ("PVC", "string", ".status.pvc.name"),
             ("Age", "date", ".metadata.creationTimestamp")],
            Columns(clone["spec"]!["versions"]![0]!));
    }

    [Fact]
    public void Schemas_are_structural_with_no_free_form_fields()
    {
        foreach (var schema in new[] { GoldenSchema, CloneSchema })
        {
            var problems = new List<string>();
            CheckStructural(schema, "<root>", problems);
            Assert.Empty(problems);
        }
    }

    [Fact]
    public void Generated_yaml_parses_back_to_the_generated_tree()
    {
        foreach (var entity in CrdGenerator.DiscoverEntities())
        {
            var manifest = CrdGenerator.Generate().Single(m => m.RelativePath == "crd/" + CrdGenerator.FileName(entity));
            var parsed = YamlJson.ParseSingle(manifest.Content);
            Assert.True(JsonNode.DeepEquals(CrdGenerator.Build(entity), parsed), $"{manifest.RelativePath} does not round-trip");
        }
    }

    [Fact]
    public void Output_is_deterministic()
    {
        var first = ManifestWriter.GenerateAll();
        var second = ManifestWriter.GenerateAll();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Recursive_types_are_rejected_because_structural_schemas_cannot_recurse()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OpenApiSchemaBuilder.ForType(typeof(TreeNode), "spec"));
        Assert.Contains("TreeNode contains itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_map_key_that_is_not_required_is_rejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OpenApiSchemaBuilder.ForType(typeof(BadListMap), "spec"));
        Assert.Contains("list-map key 'name' must be a [Required] property", error.Message, StringComparison.Ordinal);
    }

    private sealed class TreeNode
    {
        public IList<TreeNode>? Children { get; set; }
    }

    private sealed class BadListMap
    {
        [ListMap("name")]
        public IList<LocalObjectReferenceWithOptionalName>? Items { get; set; }
    }

    private sealed class LocalObjectReferenceWithOptionalName
    {
        public string? Name { get; set; }
    }

    // Walks the C# type and the schema together; the expected JSON types are written out here independently of
    // the generator's mapping. Returns how many properties were checked.
    private static int AssertMatches(Type type, JsonObject schema, string path)
    {
        Assert.Equal("object", (string?)schema["type"]);
        var properties = schema["properties"]!.AsObject();
        var count = 0;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            var child = properties[name] as JsonObject;
            Assert.True(child is not null, $"{path}.{name} is missing from the schema");
            count += 1 + AssertValue(property.PropertyType, child!, $"{path}.{name}");
        }

        Assert.Equal(properties.Count, type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Length);
        return count;
    }

    private static int AssertValue(Type type, JsonObject schema, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(IntOrString))
        {
            Assert.True((bool?)schema["x-kubernetes-int-or-string"], path);
            return 0;
        }

        var expected = type switch
        {
            _ when type == typeof(string) || type.IsEnum || type == typeof(DateTimeOffset) => "string",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(int) || type == typeof(long) => "integer",
            _ when type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) => "array",
            _ => "object",
        };
        Assert.True(expected == (string?)schema["type"], $"{path}: expected {expected}, schema says {schema["type"]}");
        if (type.IsEnum)
        {
            Assert.Equal(Enum.GetNames(type), Strings(schema["enum"]));
        }

        if (type == typeof(DateTimeOffset))
        {
            Assert.Equal("date-time", (string?)schema["format"]);
        }

        return expected switch
        {
            "array" => AssertValue(type.GetGenericArguments()[0], schema["items"]!.AsObject(), path + "[]"),
            "object" => AssertMatches(type, schema, path),
            _ => 0,
        };
    }

    private static void CollectMissingDescriptions(JsonObject schema, string path, List<string> missing)
    {
        if (schema["description"] is null)
        {
            missing.Add(path);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                CollectMissingDescriptions(child!.AsObject(), $"{path}.{name}", missing);
            }
        }

        if (schema["items"] is JsonObject { } items && items["type"]?.GetValue<string>() == "object")
        {
            CollectMissingDescriptions(items, path + "[]", missing);
        }
    }

    private static void CheckStructural(JsonObject schema, string path, List<string> problems)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"] is not null)
        {
            problems.Add($"{path}: preserves unknown fields");
        }

        if (schema["type"] is null && schema["x-kubernetes-int-or-string"] is null)
        {
            problems.Add($"{path}: has no type");
        }

        foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
        {
            CheckStructural(child!.AsObject(), $"{path}.{name}", problems);
        }

        if (schema["items"] is JsonObject items)
        {
            CheckStructural(items, path + "[]", problems);
        }
    }

    private static List<string?> Strings(JsonNode? node) => [.. node!.AsArray().Select(n => (string?)n)];

    private static List<string?> Rules(JsonNode? schema) =>
        [.. (schema!["x-kubernetes-validations"]?.AsArray() ?? []).Select(r => (string?)r!["rule"])];

    private static List<(string?, string?)> RulesWithMessages(JsonNode? schema) =>
        [.. schema!["x-kubernetes-validations"]!.AsArray().Select(r => ((string?)r!["rule"], (string?)r["message"]))];

    private static List<(string?, string?, string?)> Columns(JsonNode version) =>
        [.. version["additionalPrinterColumns"]!.AsArray().Select(c => ((string?)c!["name"], (string?)c["type"], (string?)c["jsonPath"]))];
}
