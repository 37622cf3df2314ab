namespace Imprint.Agent.Customization;

/// <summary>How to run a customization.</summary>
public sealed record CustomizeOptions
{
    /// <summary>Plan and report only; write nothing (host keys are not generated).</summary>
    public bool DryRun { get; init; }

    /// <summary>Folder that relative file paths in the spec (password file, contentFile) are resolved against.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// Grow an appliance-engine root to fill its (already grown) partition in the same launch, before customizing
    /// (<see cref="Resizing.ResizeRequest.DeferApplianceGrow"/>); ext roots were grown by the resize itself.
    /// </summary>
    public bool GrowRootToFill { get; init; }

    /// <summary>
    /// Seal with these operations first, in the same guest session (virt-sysprep's order: remove the old identity, then
    /// write the new one); null seals nothing. On the libguestfs engine this saves a whole appliance launch per disk.
    /// </summary>
    public IReadOnlyList<Sealing.ISealOperation>? SealFirst { get; init; }
}
