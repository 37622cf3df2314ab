using Imprint.Operator.Runtime.Queue;

namespace Imprint.Operator.Tests.Runtime.Queue;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Delay_doubles_per_failure_is_capped_and_resets_on_Forget()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.NextDelay("ns/a").TotalMilliseconds).ToArray();

        Assert.Equal(new double[] { 100, 200, 400, 800, 1000, 1000 }, delays);
        Assert.Equal(6, backoff.Failures("ns/a"));
        Assert.Equal(100, backoff.NextDelay("ns/b").TotalMilliseconds);

        backoff.Forget("ns/a");
        Assert.Equal(0, backoff.Failures("ns/a"));
        Assert.Equal(100, backoff.NextDelay("ns/a").TotalMilliseconds);
    }

    [Fact]
    public void Huge_failure_counts_do_not_overflow()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        TimeSpan last = default;
        for (var i = 0; i < 200; i++)
        {
            last = backoff.NextDelay("k");
        }

        Assert.Equal(TimeSpan.FromMinutes(5), last);
    }
}
