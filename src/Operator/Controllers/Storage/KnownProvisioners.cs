namespace Imprint.Operator.Controllers.Storage;

/// <summary>
/// Provisioners known to ignore or refuse a claim's dataSource. Static local volumes (no-provisioner) and host-path or
/// directory provisioners bind the claim to an empty volume and ignore the dataSource, so a "CSI clone" there is an
/// empty disk; NFS subdirectory provisioners have no clone or snapshot support either.
/// </summary>
public static class KnownProvisioners
{
    public const string NoProvisioner = "kubernetes.io/no-provisioner";

    private static readonly Dictionary<string, string> WithoutDataSource = new(StringComparer.Ordinal)
    {
        [NoProvisioner] = "static volumes: Kubernetes binds the claim to an available PersistentVolume and ignores its dataSource",
        ["kubernetes.io/host-path"] = "host-path volumes are provisioned empty; the dataSource is ignored",
        ["rancher.io/local-path"] = "local-path volumes are directories provisioned empty; it has no clone or snapshot support",
        ["k8s.io/minikube-hostpath"] = "host-path volumes are provisioned empty; the dataSource is ignored",
        ["microk8s.io/hostpath"] = "host-path volumes are provisioned empty; the dataSource is ignored",
        ["docker.io/hostpath"] = "host-path volumes are provisioned empty; the dataSource is ignored",
        ["openebs.io/local"] = "OpenEBS local host-path volumes have no clone or snapshot support",
    };

    /// <summary>Why a class with this provisioner cannot fill a claim from a dataSource, or null when nothing is known against it.</summary>
    public static string? WhyNoDataSource(string? provisioner)
    {
        if (string.IsNullOrEmpty(provisioner))
        {
            return null;
        }

        if (WithoutDataSource.TryGetValue(provisioner, out var why))
        {
            return why;
        }

        // The NFS subdir provisioner's name is set at install time (k8s-sigs.io/…, cluster.local/…).
        return provisioner.EndsWith("nfs-subdir-external-provisioner", StringComparison.Ordinal)
            ? "NFS subdirectory volumes have no clone or snapshot support"
            : null;
    }
}
