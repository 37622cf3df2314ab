namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// What the job controller remembers about one Job (by uid): the pods it has counted as finished. The real
/// controller keeps this durable with a pod finalizer; the simulator keeps it in memory so deleted pods still count.
/// </summary>
internal sealed class JobState
{
    public HashSet<string> Succeeded { get; } = [];

    public HashSet<string> Failed { get; } = [];

    public DateTime? LastFailure { get; set; }

    public bool DeadlineTimerSet { get; set; }
}
