using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Sealing;

namespace Imprint.Agent.Customization;

/// <summary>Customizes the Linux guest on a disk: finds its root filesystem, inspects it, optionally seals it in the
/// same session, applies the spec.</summary>
public static class GuestCustomization
{
    public static async Task<(CustomizeResult Result, DiskInspection Inspection)> RunAsync(string diskPath, CustomizationSpec spec, CustomizeOptions options, CancellationToken cancellationToken)
    {
        if (!options.DryRun)
        {
            // Refuse a read-only disk before any work.
            using var probe = Disk.DiskImage.OpenWrite(diskPath);
        }

        // Held for the whole run: a VM, another imprint or a concurrent seal on this disk makes it exit 6 first.
        using var diskLock = options.DryRun ? Disk.ImageLock.Shared(diskPath) : Disk.ImageLock.Exclusive(diskPath);
        if (!options.DryRun)
        {
            // A run killed inside its debugfs batch left the filesystem half-edited: roll it back (under the lock),
            // then edit again.
            await ExtUndoJournal.RecoverAsync(diskPath, cancellationToken).ConfigureAwait(false);
        }

        var inspection = await DiskInspector.InspectAsync(diskPath, cancellationToken).ConfigureAwait(false);
        using var guest = await GuestRootOpener.OpenAsync(inspection, options.DryRun ? GuestAccess.ReadOnly : GuestAccess.ReadWrite, GuestFileSystemOpener.Default, cancellationToken).ConfigureAwait(false);
        GuestGrowResult? grown = null;
        if (options.GrowRootToFill && !options.DryRun && guest.Engine == GuestEngineName.Libguestfs && guest.FileSystem is IGuestFileSystemGrower grower)
        {
            grown = await grower.GrowToFillAsync(guest.Root, cancellationToken).ConfigureAwait(false);
        }

        // A dry run plans the customization against the unsealed guest (the seal's plan is not applied), so its list may
        // differ from a real run's where both touch one path (host keys: removed, then new ones written).
        var sealing = options.SealFirst is { } operations
            ? await Sealer.SealAsync(guest.FileSystem, operations, options.DryRun, cancellationToken).ConfigureAwait(false)
            : null;
        var result = await Customizer.CustomizeAsync(guest.FileSystem, guest.Facts, spec, options, cancellationToken).ConfigureAwait(false);
        await guest.FileSystem.CommitAsync(cancellationToken).ConfigureAwait(false);
        var changes = sealing is null ? result.Changes : [.. sealing.Changes, .. result.Changes];
        return (result with { Engine = guest.Engine, Grow = grown, Seal = sealing, Changes = changes }, guest.Inspection);
    }
}
