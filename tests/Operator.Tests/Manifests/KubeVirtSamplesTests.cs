using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;
using Imprint.Testing.NodeSimulator.KubeVirt;
using k8s;

namespace Imprint.Operator.Tests.Manifests;

/// <summary>
/// The KubeVirt samples in config/samples applied to the fake API server with KubeVirt's and CDI's definitions and
/// their simulated controllers: admitted by those schemas, and read by KubeVirt and CDI as the samples say.
/// </summary>
public sealed class KubeVirtSamplesTests
{
    private const string Ns = "default";
    private static readonly string Samples = Path.Combine(RepositoryPaths.Config, "samples");

    [Fact]
    public async Task Datasource_vm_sample_clones_the_claim_behind_the_data_source_the_golden_image_sample_publishes()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        KubeVirtCrds.InstallKubeVirt(server);
        KubeVirtCrds.InstallCdi(server);
        await using var kubeVirt = KubeVirtSimulator.Start(server);
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var published = (string)Load("imprint.dev_v1alpha1_goldenimage_datasource.yaml")["spec"]!["publish"]!["dataSource"]!["name"]!;
        // What the operator keeps for that sample once the image is Ready (DataSourcePublisher), and its sealed claim.
        server.Put(JsonNode.Parse("""{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"csi","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},"provisioner":"csi.example.com","volumeBindingMode":"Immediate"}""")!.AsObject());
        server.Put(JsonNode.Parse("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"debian-12-published-golden","namespace":"NS"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"3Gi"}}},"status":{"phase":"Bound","capacity":{"storage":"3Gi"}}}""".Replace("NS", Ns, StringComparison.Ordinal))!.AsObject());
        server.Put(JsonNode.Parse("""{"apiVersion":"cdi.kubevirt.io/v1beta1","kind":"DataSource","metadata":{"name":"PUBLISHED","namespace":"NS"},"spec":{"source":{"pvc":{"name":"debian-12-published-golden","namespace":"NS"}}}}""".Replace("NS", Ns, StringComparison.Ordinal).Replace("PUBLISHED", published, StringComparison.Ordinal))!.AsObject());

        var vm = Load("kubevirt_virtualmachine_datasource.yaml");
        vm["metadata"]!["namespace"] = Ns;
        await client.CreateRawAsync(new ResourceType("kubevirt.io", "v1", "VirtualMachine", "virtualmachines"), vm);

        var template = vm["spec"]!["dataVolumeTemplates"]![0]!;
        var dvName = (string)template["metadata"]!["name"]!;
        var dv = await WaitAsync(() => server.Get(KubeVirtSimulator.CdiApiVersion, "datavolumes", Ns, dvName), d => (string?)d["status"]?["phase"] == "CloneScheduled");
        Assert.Equal(published, (string?)template["spec"]!["sourceRef"]!["name"]);
        Assert.Equal("debian-12-published-golden", (string?)dv["spec"]!["source"]!["pvc"]!["name"]);
        Assert.Equal(dvName, (string?)vm["spec"]!["template"]!["spec"]!["volumes"]![0]!["dataVolume"]!["name"]);
        Assert.Empty(kubeVirt.Errors);
    }

    private static JsonObject Load(string file) => YamlJson.ParseSingle(File.ReadAllText(Path.Combine(Samples, file)))!.AsObject();

    private static async Task<JsonObject> WaitAsync(Func<JsonObject?> read, Func<JsonObject, bool> done)
    {
        for (var i = 0; i < 400; i++)
        {
            if (read() is { } value && done(value))
            {
                return value;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"not reached; last: {read()?.ToJsonString()}");
    }
}
