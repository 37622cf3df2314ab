using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Ext;

/// <summary>The e2fsprogs grow: e2fsck -fy then resize2fs at the root's (grown) byte range.</summary>
public sealed class ExtFileSystemGrower : IGuestFileSystemGrower
{
    public async Task<GuestGrowResult> GrowToFillAsync(GuestRootLocation root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        var range = root.Range ?? throw ImprintException.Unsupported($"{root.Describe()} of '{root.DiskPath}' is not one contiguous byte range; e2fsprogs cannot grow it");
        using var ext = new ExtFileSystem(root.DiskPath, range);
        var grown = await ext.GrowAsync(range.Length, cancellationToken).ConfigureAwait(false);
        return new GuestGrowResult(GuestEngineName.E2fsprogs, grown.OldBlockCount * grown.BlockSize, grown.NewBlockCount * grown.BlockSize);
    }
}
