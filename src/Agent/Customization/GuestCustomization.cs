using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;

namespace Imprint.Agent.Customization;

/// <summary>Customizes the Linux guest on a disk: finds its root filesystem, inspects it, applies the spec.</summary>
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

        var result = await Customizer.CustomizeAsync(guest.FileSystem, guest.Facts, spec, options, cancellationToken).ConfigureAwait(false);
        await guest.FileSystem.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (result with { Engine = guest.Engine, Grow = grown }, guest.Inspection);
    }
}
