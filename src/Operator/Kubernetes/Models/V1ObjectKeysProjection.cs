namespace Imprint.Operator.Kubernetes.Models;

/// <summary>The configMap or secret source of a projected volume: which keys go to which relative paths.</summary>
public sealed class V1ObjectKeysProjection
{
    public string Name { get; set; } = string.Empty;

    public IList<V1KeyToPath>? Items { get; set; }

    public bool? Optional { get; set; }
}
