namespace Imprint.Agent.Resizing;

/// <summary>What to grow: the disk to <see cref="NewSize"/> bytes (null: keep its size) and which partition.</summary>
/// <param name="Path">Image file or block device.</param>
/// <param name="NewSize">New disk size; growing an image file is sparse, a device must already be this large.</param>
/// <param name="Partition">Partition number to grow, or null for "auto": the guest root when free space follows it,
/// else the last partition.</param>
public sealed record ResizeRequest(string Path, long? NewSize, int? Partition)
{
    /// <summary>
    /// A later step opens this guest in the appliance anyway (clone + customize): grow only the image and the
    /// partition here and leave the filesystem to that step (<see cref="Customization.CustomizeOptions.GrowRootToFill"/>),
    /// so the whole clone costs one appliance launch. No effect on ext roots, which grow without an appliance.
    /// </summary>
    public bool DeferApplianceGrow { get; init; }
}
