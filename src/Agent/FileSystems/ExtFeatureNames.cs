using System.Globalization;

namespace Imprint.Agent.FileSystems;

/// <summary>
/// ext feature bits named as e2fsprogs' libe2p names them, listed in dumpe2fs' order (compat, incompat, ro_compat; low
/// bit first). Bits libe2p has no name for print as FEATURE_C7, FEATURE_I11, FEATURE_R2 like dumpe2fs does.
/// </summary>
internal static class ExtFeatureNames
{
    private static readonly string?[] Compat =
    [
        "dir_prealloc", "imagic_inodes", "has_journal", "ext_attr", "resize_inode", "dir_index", "lazy_bg", null,
        "snapshot_bitmap", "sparse_super2", "fast_commit", "stable_inodes", "orphan_file",
    ];

    private static readonly string?[] Incompat =
    [
        "compression", "filetype", "needs_recovery", "journal_dev", "meta_bg", null, "extent", "64bit",
        "mmp", "flex_bg", "ea_inode", null, "dirdata", "metadata_csum_seed", "large_dir", "inline_data",
        "encrypt", "casefold",
    ];

    private static readonly string?[] RoCompat =
    [
        "sparse_super", "large_file", null, "huge_file", "uninit_bg", "dir_nlink", "extra_isize", null,
        "quota", "bigalloc", "metadata_csum", "replica", "read-only", "project", "shared_blocks", "verity",
        "orphan_present",
    ];

    public static IReadOnlyList<string> Describe(uint compat, uint incompat, uint roCompat)
    {
        var names = new List<string>();
        Add(names, compat, Compat, 'C');
        Add(names, incompat, Incompat, 'I');
        Add(names, roCompat, RoCompat, 'R');
        return names;
    }

    private static void Add(List<string> names, uint mask, string?[] table, char letter)
    {
        for (var bit = 0; bit < 32; bit++)
        {
            if ((mask & (1u << bit)) != 0)
            {
                names.Add((bit < table.Length ? table[bit] : null) ?? string.Create(CultureInfo.InvariantCulture, $"FEATURE_{letter}{bit}"));
            }
        }
    }
}
