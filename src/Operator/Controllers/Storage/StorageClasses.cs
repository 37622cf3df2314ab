using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Controllers.Storage;

/// <summary>Looks up a claim's StorageClass (named, or the cluster default) to learn its binding mode and provisioner.</summary>
public static class StorageClasses
{
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    public static async Task<V1StorageClass?> ResolveAsync(IKubernetesClient client, string? name, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return await client.GetAsync<V1StorageClass>(name, null, cancellationToken).ConfigureAwait(false);
        }

        var classes = await client.ListAsync<V1StorageClass>(null, null, cancellationToken).ConfigureAwait(false);
        return classes.Items.FirstOrDefault(c => c.Metadata.Annotations?.TryGetValue(DefaultClassAnnotation, out var value) == true && value == "true");
    }

    /// <summary>True when the claim binds only once a pod uses it: then waiting for Bound before starting the Job would wait forever.</summary>
    public static async Task<bool> WaitsForFirstConsumerAsync(IKubernetesClient client, V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        var storageClass = await ResolveAsync(client, claim.Spec.StorageClassName, cancellationToken).ConfigureAwait(false);
        return storageClass?.VolumeBindingMode == "WaitForFirstConsumer";
    }

    public static bool IsBound(V1PersistentVolumeClaim claim) => claim.Status?.Phase == "Bound";

    /// <summary>The claim's capacity once bound, else what it asks for.</summary>
    public static long? SizeOf(V1PersistentVolumeClaim claim)
    {
        if (claim.Metadata.Annotations?.TryGetValue(VolumeAnnotations.DiskSize, out var annotated) == true
            && long.TryParse(annotated, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var disk))
        {
            return disk;
        }

        if (claim.Status?.Capacity?.TryGetValue("storage", out var capacity) == true && DiskSizing.TryBytes(capacity, out var bytes))
        {
            return bytes;
        }

        return claim.Spec.Resources?.Requests?.TryGetValue("storage", out var request) == true && DiskSizing.TryBytes(request, out var requested)
            ? requested
            : null;
    }
}
