using System.Text.Json.Nodes;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Testing.NodeSimulator.KubeVirt;

/// <summary>
/// The CustomResourceDefinitions KubeVirt and CDI install, trimmed from upstream (see the header of each manifest in
/// <c>KubeVirt/Crds</c>). Installed per test, so a test can also run with CDI or KubeVirt absent.
/// </summary>
public static class KubeVirtCrds
{
    /// <summary>cdi.kubevirt.io/v1beta1: DataVolume, DataSource, VolumeCloneSource.</summary>
    public static IReadOnlyList<JsonObject> Cdi { get; } =
        [Load("cdi.kubevirt.io_datavolumes.yaml"), Load("cdi.kubevirt.io_datasources.yaml"), Load("cdi.kubevirt.io_volumeclonesources.yaml")];

    /// <summary>kubevirt.io/v1 VirtualMachine and pool.kubevirt.io/v1alpha1 VirtualMachinePool.</summary>
    public static IReadOnlyList<JsonObject> KubeVirt { get; } =
        [Load("kubevirt.io_virtualmachines.yaml"), Load("pool.kubevirt.io_virtualmachinepools.yaml")];

    public static void InstallCdi(FakeKubeApiServer server) => Install(server, Cdi);

    public static void InstallKubeVirt(FakeKubeApiServer server) => Install(server, KubeVirt);

    /// <summary>Removes CDI's definitions (and with them every DataVolume, DataSource and VolumeCloneSource), as uninstalling CDI does.</summary>
    public static void UninstallCdi(FakeKubeApiServer server)
    {
        foreach (var crd in Cdi)
            server.Delete("apiextensions.k8s.io/v1", "customresourcedefinitions", null, Obj.Name(crd));
    }

    private static void Install(FakeKubeApiServer server, IEnumerable<JsonObject> crds)
    {
        foreach (var crd in crds)
            server.Put((JsonObject)crd.DeepClone());
    }

    private static JsonObject Load(string file)
    {
        using var stream = typeof(KubeVirtCrds).Assembly.GetManifestResourceStream($"KubeVirtCrds/{file}")
            ?? throw new InvalidOperationException($"embedded manifest {file} is missing");
        using var reader = new StreamReader(stream);
        return YamlJson.ParseSingle(reader.ReadToEnd())!.AsObject();
    }
}
