using Imprint.Operator.Runtime.Controllers;

namespace Imprint.Operator.Tests.Runtime.Controllers;

public sealed class OwnWriteExpectationsTests
{
    [Fact]
    public void A_key_without_a_write_of_ours_is_current_whatever_the_cache_holds()
    {
        var expectations = new OwnWriteExpectations();

        Assert.True(expectations.IsCurrent("ns/a", "7"));
        Assert.True(expectations.IsCurrent("ns/a", null));
    }

    [Fact]
    public void The_cache_is_behind_until_it_holds_the_version_we_wrote_then_the_expectation_is_cleared()
    {
        var expectations = new OwnWriteExpectations();
        expectations.Expect("ns/a", "12");

        Assert.False(expectations.IsCurrent("ns/a", "11"));
        Assert.False(expectations.IsCurrent("ns/a", null));
        Assert.True(expectations.IsCurrent("ns/a", "12"));
        Assert.Equal(0, expectations.Count);
        Assert.True(expectations.IsCurrent("ns/a", "13"));
    }

    [Fact]
    public void Observing_the_written_version_clears_it_and_other_versions_or_keys_do_not()
    {
        var expectations = new OwnWriteExpectations();
        expectations.Expect("ns/a", "12");
        expectations.Expect("ns/b", "20");

        expectations.Observed("ns/a", "11");
        expectations.Observed("ns/b", "12");
        Assert.Equal(2, expectations.Count);

        expectations.Observed("ns/a", "12");
        Assert.Equal(1, expectations.Count);
        Assert.True(expectations.IsCurrent("ns/a", "13"));
        Assert.False(expectations.IsCurrent("ns/b", "19"));
    }

    [Fact]
    public void A_later_write_replaces_the_expected_version_and_forget_drops_it()
    {
        var expectations = new OwnWriteExpectations();
        expectations.Expect("ns/a", "12");
        expectations.Expect("ns/a", "14");

        Assert.False(expectations.IsCurrent("ns/a", "12"));
        expectations.Forget("ns/a");
        Assert.True(expectations.IsCurrent("ns/a", "12"));
        expectations.Expect("ns/a", null);
        Assert.Equal(0, expectations.Count);
    }
}
