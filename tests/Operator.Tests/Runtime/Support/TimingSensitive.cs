namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>Tests that assert wall-clock intervals run alone, after the parallel ones, so a busy 2-core box does not skew them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive runtime tests";
}
