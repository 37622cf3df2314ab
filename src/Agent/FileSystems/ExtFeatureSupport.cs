namespace Imprint.Agent.FileSystems;

/// <summary>
/// Which ext features the e2fsprogs tools Imprint drives understand (libext2fs' *_SUPP masks, 1.47). A filesystem with
/// an unknown incompat feature cannot be read correctly at all; one with an unknown ro_compat feature may be read but
/// must not be written. Either is a valid image Imprint does not handle (exit 5), not a malformed one.
/// </summary>
public static class ExtFeatureSupport
{
    // filetype, needs_recovery, journal_dev, meta_bg, extent, 64bit, mmp, flex_bg, ea_inode, metadata_csum_seed,
    // large_dir, inline_data, encrypt, casefold.
    public const uint IncompatSupported = 0x2 | 0x4 | 0x8 | 0x10 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000;

    // sparse_super, large_file, huge_file, uninit_bg, dir_nlink, extra_isize, quota, bigalloc, metadata_csum,
    // read-only, project, shared_blocks, verity, orphan_present.
    public const uint RoCompatSupported = 0x1 | 0x2 | 0x8 | 0x10 | 0x20 | 0x40 | 0x100 | 0x200 | 0x400 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x10000;

    /// <summary>Names of the features that keep the filesystem from being read; null when there are none.</summary>
    public static string? UnsupportedForReading(ExtSuperblock ext)
    {
        ArgumentNullException.ThrowIfNull(ext);
        var unknown = ext.IncompatFeatures & ~IncompatSupported;
        return unknown == 0 ? null : string.Join(" ", ExtFeatureNames.Describe(0, unknown, 0));
    }

    /// <summary>Names of the features that keep the filesystem from being written; null when there are none.</summary>
    public static string? UnsupportedForWriting(ExtSuperblock ext)
    {
        ArgumentNullException.ThrowIfNull(ext);
        var incompat = ext.IncompatFeatures & ~IncompatSupported;
        var roCompat = ext.RoCompatFeatures & ~RoCompatSupported;
        return incompat == 0 && roCompat == 0 ? null : string.Join(" ", ExtFeatureNames.Describe(0, incompat, roCompat));
    }
}
