namespace Imprint.Operator.Kubernetes.Models;

/// <summary>Linux capabilities added to or dropped from a container.</summary>
public sealed class V1Capabilities
{
    public IList<string>? Drop { get; set; }

    public IList<string>? Add { get; set; }
}
