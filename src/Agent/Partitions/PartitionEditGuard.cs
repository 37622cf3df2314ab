using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// The preconditions every edit of one partition's bounds shares (grow, shrink): the disk has a partition table, it
/// is not a hybrid MBR (editing one view would desynchronise the other), and the partition exists. Checked in
/// <c>Plan</c>, before anything is written.
/// </summary>
public static class PartitionEditGuard
{
    /// <summary>
    /// Returns partition <paramref name="number"/> of <paramref name="table"/> or throws a user-facing error naming
    /// the edit: <paramref name="verb"/> is a plain verb whose "-ing" form is regular ("grow", "shrink").
    /// </summary>
    public static Partition Require(PartitionTable table, int number, string verb)
    {
        if (table.Kind == PartitionTableKind.None)
        {
            throw ImprintException.Unsupported($"the disk has no partition table; there is no partition to {verb}");
        }

        if (table.IsHybridMbr)
        {
            throw ImprintException.Conflict($"hybrid MBR: {verb}ing is refused, it would desynchronise the MBR and GPT views of the disk");
        }

        return table.Find(number) ?? throw ImprintException.Usage(
            $"partition {number} does not exist (partitions: {string.Join(", ", table.Partitions.Select(p => p.Number))})");
    }
}
