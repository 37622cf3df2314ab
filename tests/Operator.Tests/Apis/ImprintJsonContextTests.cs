using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Manifests.Support;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Apis;

public sealed class ImprintJsonContextTests
{
    [Fact]
    public void Writes_camel_case_names_enum_names_and_omits_nulls()
    {
        var clone = new V1Alpha1VmClone
        {
            Metadata = new V1ObjectMeta { Name = "web-01", NamespaceProperty = "vms" },
            Spec = new V1Alpha1VmClone.VmCloneSpec
            {
                GoldenImage = new GoldenImageReference { Name = "debian-12" },
                Strategy = CloneStrategy.CsiClone,
                Customize = new CustomizeSpec
                {
                    Users = [new UserSpec { Name = "admin", SshAuthorizedKeysSecretRef = new KeySelector { Name = "keys", Key = "authorized_keys" } }],
                },
            },
        };

        var json = JsonNode.Parse(JsonSerializer.Serialize(clone, ImprintJsonContext.Default.V1Alpha1VmClone))!;

        Assert.Equal("imprint.dev/v1alpha1", (string?)json["apiVersion"]);
        Assert.Equal("VmClone", (string?)json["kind"]);
        Assert.Equal("vms", (string?)json["metadata"]!["namespace"]);
        Assert.Equal("CsiClone", (string?)json["spec"]!["strategy"]);
        Assert.Equal("keys", (string?)json["spec"]!["customize"]!["users"]![0]!["sshAuthorizedKeysSecretRef"]!["name"]);
        Assert.False(json.AsObject().ContainsKey("status"));
        Assert.Equal(["goldenImage", "strategy", "customize"], json["spec"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["name"], json["spec"]!["goldenImage"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Fully_populated_objects_round_trip_unchanged()
    {
        AssertRoundTrip(ObjectFiller.Fill<V1Alpha1GoldenImage>(), ImprintJsonContext.Default.V1Alpha1GoldenImage);
        AssertRoundTrip(ObjectFiller.Fill<V1Alpha1VmClone>(), ImprintJsonContext.Default.V1Alpha1VmClone);
    }

    [Fact]
    public void Every_serialized_name_and_type_fits_the_crd_schema()
    {
        AssertFitsSchema(ObjectFiller.Fill<V1Alpha1GoldenImage>(), ImprintJsonContext.Default.V1Alpha1GoldenImage, typeof(V1Alpha1GoldenImage));
        AssertFitsSchema(ObjectFiller.Fill<V1Alpha1VmClone>(), ImprintJsonContext.Default.V1Alpha1VmClone, typeof(V1Alpha1VmClone));
    }

    [Theory]
    [InlineData("{\"partition\":\"auto\"}", false, "auto")]
    [InlineData("{\"partition\":3}", true, "3")]
    public void Int_or_string_keeps_the_form_it_was_read_in(string json, bool isInt, string text)
    {
        var options = new JsonSerializerOptions(ImprintJsonContext.Default.Options);
        var resize = JsonSerializer.Deserialize<ResizeSpec>(json, options)!;

        Assert.Equal(isInt, resize.Partition!.IsInt);
        Assert.Equal(text, resize.Partition.ToString());
        Assert.Equal(json, JsonSerializer.Serialize(resize, options));
    }

    [Fact]
    public void Client_json_reads_api_server_lists_of_our_kinds()
    {
        const string list = """
            {"apiVersion":"imprint.dev/v1alpha1","kind":"GoldenImageList","metadata":{"resourceVersion":"42"},
             "items":[{"apiVersion":"imprint.dev/v1alpha1","kind":"GoldenImage","metadata":{"name":"debian-12","generation":2},
               "spec":{"source":{"pvc":{"name":"disk"}},"storage":{"size":"20Gi","volumeMode":"Block","accessModes":["ReadWriteMany"]}},
               "status":{"phase":"Sealing","progress":"45%","virtualSize":2147483648,"sealedOperations":["machine-id"],
                 "conditions":[{"type":"Ready","status":"False","reason":"Sealing","message":"","lastTransitionTime":"2025-01-02T03:04:05Z","observedGeneration":2}]}}]}
            """;
        using var client = OfflineClient();
        var images = JsonSerializer.Deserialize<KubernetesList<V1Alpha1GoldenImage>>(list, client.JsonOptions)!;

        var image = Assert.Single(images.Items);
        Assert.Equal("42", images.Metadata.ResourceVersion);
        Assert.Equal("disk", image.Spec.Source.Pvc!.Name);
        Assert.Equal("20Gi", image.Spec.Storage!.Size!.StringValue);
        Assert.Equal(VolumeMode.Block, image.Spec.Storage.VolumeMode);
        Assert.Equal([PersistentVolumeAccessMode.ReadWriteMany], image.Spec.Storage.AccessModes!);
        Assert.Equal(GoldenImagePhase.Sealing, image.Status!.Phase);
        Assert.Equal(2147483648L, image.Status.VirtualSize);
        Assert.Equal(ConditionStatus.False, image.Status.Conditions![0].Status);

        const string clone = """{"kind":"VmClone","metadata":{"name":"web-01"},"spec":{"goldenImage":{"name":"debian-12"},"target":{"size":21474836480}},"status":{"phase":"WaitingForGoldenImage"}}""";
        var read = JsonSerializer.Deserialize<V1Alpha1VmClone>(clone, client.JsonOptions)!;

        Assert.Equal(21474836480L, read.Spec.Target!.Size!.IntValue);
        Assert.Equal(VmClonePhase.WaitingForGoldenImage, read.Status!.Phase);
    }

    [Fact]
    public void Client_json_writes_our_kinds_with_the_names_of_the_source_generated_contract()
    {
        using var client = OfflineClient();
        foreach (var (value, type) in new (object, Type)[] { (ObjectFiller.Fill<V1Alpha1GoldenImage>(), typeof(V1Alpha1GoldenImage)), (ObjectFiller.Fill<V1Alpha1VmClone>(), typeof(V1Alpha1VmClone)) })
        {
            var generated = JsonNode.Parse(JsonSerializer.Serialize(value, type, ImprintJsonContext.Default))!;
            var wire = JsonNode.Parse(JsonSerializer.Serialize(value, type, client.JsonOptions))!;

            // Same names, nesting and value kinds; only the spelling of times differs (RFC 3339 'Z' on the wire).
            Assert.Equal(Shape(generated), Shape(wire));
            Assert.Equal("2025-01-02T03:04:05Z", (string?)wire["status"]!["startTime"]);
            Assert.Equal(wire.ToJsonString(), JsonSerializer.Serialize(JsonSerializer.Deserialize(wire.ToJsonString(), type, client.JsonOptions), type, client.JsonOptions));
        }
    }

    private static KubernetesClient OfflineClient() => new(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });

    private static string Shape(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Shape(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Shape)) + "]",
        null => "null",
        _ => node.GetValueKind().ToString(),
    };

    private static void AssertRoundTrip<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var first = JsonSerializer.Serialize(value, typeInfo);
        var second = JsonSerializer.Serialize(JsonSerializer.Deserialize(first, typeInfo)!, typeInfo);

        Assert.Equal(first, second);
        Assert.DoesNotContain("null", first, StringComparison.Ordinal);
    }

    private static void AssertFitsSchema<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, Type entity)
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(value, typeInfo))!.AsObject();
        var validator = new SchemaValidator(CrdGenerator.BuildSchema(entity)) { StructureOnly = true };

        Assert.Empty(validator.Admit(json));
        Assert.True(json.ToJsonString().Length > 1000, "the filled object should exercise every field");
    }
}
