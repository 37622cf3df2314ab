using Imprint.Operator.Apis.V1Alpha1;

namespace Imprint.Operator.Controllers.Status;

/// <summary>
/// Sets conditions the way cert-manager does: one call per condition, observedGeneration stamped, and
/// lastTransitionTime kept unless the status value itself changes (reason or message changes are not transitions).
/// </summary>
public static class Conditions
{
    public static IList<Condition> Set(
        IList<Condition>? conditions, string type, ConditionStatus status, string reason, string message, long? generation, DateTimeOffset now)
    {
        var list = conditions ?? [];
        var existing = list.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            list.Add(new Condition { Type = type, Status = status, Reason = reason, Message = Cut(message), ObservedGeneration = generation, LastTransitionTime = Truncate(now) });
            return list;
        }

        if (existing.Status != status)
        {
            existing.LastTransitionTime = Truncate(now);
        }

        existing.Status = status;
        existing.Reason = reason;
        existing.Message = Cut(message);
        existing.ObservedGeneration = generation;
        return list;
    }

    public static Condition? Find(IList<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Drops a condition whose absence is its normal state (Stalled is present only while true).</summary>
    public static void Remove(IList<Condition>? conditions, string type)
    {
        if (Find(conditions, type) is { } condition)
        {
            conditions!.Remove(condition);
        }
    }

    public static bool IsTrue(IList<Condition>? conditions, string type) => Find(conditions, type)?.Status == ConditionStatus.True;

    // The API server stores metav1.Time with second precision; keeping sub-seconds would make every read differ.
    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);

    private static string Cut(string message) => message.Length <= 32768 ? message : message[..32765] + "...";
}
