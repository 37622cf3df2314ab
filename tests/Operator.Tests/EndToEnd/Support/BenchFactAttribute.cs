namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>A measurement <c>make bench</c> runs (<c>IMPRINT_BENCH=1</c>); skipped in <c>make test</c>, never timed there.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("IMPRINT_BENCH") != "1")
        {
            Skip = "benchmark: make bench runs it (IMPRINT_BENCH=1)";
        }
    }
}
