namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>What happens to the cloned PVC when its VmClone is deleted.</summary>
public enum ReclaimPolicy
{
    Retain,
    Delete,
}
