namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Where a golden image is in its life: the phases run in this order; Failed can follow any.</summary>
public enum GoldenImagePhase
{
    Pending,
    Importing,
    Inspecting,
    Sealing,
    Snapshotting,
    Ready,
    Failed,
}
