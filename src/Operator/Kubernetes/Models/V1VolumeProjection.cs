namespace Imprint.Operator.Kubernetes.Models;

/// <summary>One source of a projected volume; exactly one is set.</summary>
public sealed class V1VolumeProjection
{
    public V1ObjectKeysProjection? ConfigMap { get; set; }

    public V1ObjectKeysProjection? Secret { get; set; }
}
