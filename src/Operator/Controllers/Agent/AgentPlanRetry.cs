namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Where a retried plan starts: at the first step not proven done. A step is proven done when an earlier attempt's
/// agent result records it as succeeded, on the same disks (the plan Job's disk identity: the target claim's uid and,
/// for a clone, the golden's), and no later failure could have damaged what it made. A failure is harmless only when
/// the failing step reads only (inspect, fingerprint) or the agent reported that it left every disk file it names
/// exactly as it found it (same inode, size, modification time; never claimed for a block device). Anything else —
/// a writing step that failed part-way, a pod killed or lost without a result, a Job that is gone, a different claim
/// or golden — proves nothing, and the plan starts over from its first step as a retry always did.
/// </summary>
public static class AgentPlanRetry
{
    /// <param name="earlier">Attempts 0…n-1: each plan Job's disk identity and agent result (null when there was none).</param>
    public static IReadOnlySet<string> ProvenDone(IEnumerable<(string? Identity, AgentResultDocument? Result)> earlier, string? identity)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (jobIdentity, result) in earlier)
        {
            if (identity is null || jobIdentity != identity || result?.Steps is not { } steps)
            {
                done.Clear();
                continue;
            }

            foreach (var step in steps.Where(s => s.Ok && s.Step is not null))
            {
                done.Add(step.Step!);
            }

            if (steps.FirstOrDefault(s => !s.Ok) is { } failed && !Harmless(failed))
            {
                done.Clear();
            }
        }

        return done;
    }

    /// <summary>The plan for this attempt: <paramref name="all"/> without its leading steps proven done.</summary>
    public static IReadOnlyList<AgentPlanStep> Remaining(IReadOnlyList<AgentPlanStep> all, IReadOnlySet<string> done) =>
        [.. all.SkipWhile(s => done.Contains(s.Name))];

    private static bool Harmless(AgentResultDocument failed) =>
        failed.DiskUnchanged == true
        || (Enum.TryParse<AgentStep>(failed.Step, ignoreCase: true, out var step) && AgentPlanStep.ReadsOnly(step));
}
