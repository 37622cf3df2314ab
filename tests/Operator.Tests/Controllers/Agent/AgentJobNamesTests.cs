using Imprint.Operator.Controllers.Agent;

namespace Imprint.Operator.Tests.Controllers.Agent;

public sealed class AgentJobNamesTests
{
    [Fact]
    public void Long_owner_names_are_cut_to_63_characters_and_stay_distinct()
    {
        var a = AgentJobNames.Job(new string('a', 80) + "-one", AgentStep.Customize, 12);
        var b = AgentJobNames.Job(new string('a', 80) + "-two", AgentStep.Customize, 12);

        Assert.True(a.Length <= 63, a);
        Assert.True(b.Length <= 63, b);
        Assert.NotEqual(a, b);
        Assert.EndsWith("-customize-a12", a, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", a);
    }

    [Fact]
    public void Names_differ_by_step_and_attempt_only()
    {
        Assert.Equal("gi-seal-a0", AgentJobNames.Job("gi", AgentStep.Seal, 0));
        Assert.NotEqual(AgentJobNames.Job("gi", AgentStep.Seal, 0), AgentJobNames.Job("gi", AgentStep.Seal, 1));
        Assert.Equal("gi-customize-input-a2", AgentJobNames.Input("gi", AgentStep.Customize, 2));
    }

    [Fact]
    public void Label_values_longer_than_63_characters_are_shortened_with_a_hash()
    {
        var value = AgentLabels.LabelValue(new string('x', 100));

        Assert.Equal(63, value.Length);
        Assert.NotEqual(value, AgentLabels.LabelValue(new string('x', 99) + "y"));
    }
}
