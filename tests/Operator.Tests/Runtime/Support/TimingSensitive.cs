namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>
/// Tests of code that keeps real time with sub-second deadlines (the client library's leader elector takes no clock)
/// run alone, after the parallel ones, so a busy 2-core box does not make a leader miss its renew deadline.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive runtime tests";
}
