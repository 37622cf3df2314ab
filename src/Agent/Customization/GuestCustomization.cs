using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Ext;
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
        var root = DiskInspector.RequireRoot(inspection);
        using var fs = new ExtFileSystem(diskPath, root.Range);
        var result = await Customizer.CustomizeAsync(fs, inspection.Guest!, spec, options, cancellationToken).ConfigureAwait(false);
        return (result, inspection);
    }
}
