using System.ComponentModel;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A small summary of what customization changed (the full list is in the agent's log).</summary>
[Description("How many changes customization made, and by which operations.")]
public sealed class ChangeSummary
{
    [Description("Number of changes (files written, keys replaced, ...).")]
    public int Count { get; set; }

    [Description("Names of the operations that changed something.")]
    public IList<string>? Operations { get; set; }
}
