using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;

namespace Imprint.Operator.Tests.Controllers.Status;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public void Transition_time_moves_only_when_the_status_value_changes()
    {
        var list = Conditions.Set(null, ConditionTypes.Ready, ConditionStatus.False, "Importing", "a", 1, T0);
        list = Conditions.Set(list, ConditionTypes.Ready, ConditionStatus.False, "Sealing", "b", 2, T0.AddMinutes(1));
        var unchanged = Assert.Single(list);

        Assert.Equal((new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), "Sealing", "b", 2L), (unchanged.LastTransitionTime, unchanged.Reason, unchanged.Message, unchanged.ObservedGeneration!.Value));

        list = Conditions.Set(list, ConditionTypes.Ready, ConditionStatus.True, "Ready", "", 2, T0.AddMinutes(2));
        Assert.Equal(T0.AddMinutes(2).AddMilliseconds(-500), list[0].LastTransitionTime);
    }

    [Fact]
    public void Each_type_is_kept_once()
    {
        var list = Conditions.Set(null, ConditionTypes.Ready, ConditionStatus.False, "A", "", 1, T0);
        list = Conditions.Set(list, ConditionTypes.Degraded, ConditionStatus.True, "B", "", 1, T0);
        list = Conditions.Set(list, ConditionTypes.Ready, ConditionStatus.False, "C", "", 1, T0);

        Assert.Equal(["Ready", "Degraded"], list.Select(c => c.Type));
        Assert.True(Conditions.IsTrue(list, ConditionTypes.Degraded));
    }
}
