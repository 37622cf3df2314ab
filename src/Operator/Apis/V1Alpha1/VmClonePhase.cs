namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Where a clone is in its life: the phases run in this order; Failed can follow any.</summary>
public enum VmClonePhase
{
    Pending,
    WaitingForGoldenImage,
    Cloning,
    Customizing,
    Resizing,
    Ready,
    Failed,
}
