using Imprint.Operator.Controllers.Revisions;

namespace Imprint.Operator.Tests.Controllers.Revisions;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 10, 17, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("* * * * *", "2026-12-07T10:18:00Z")]
    [InlineData("0 * * * *", "2026-12-07T11:00:00Z")]
    [InlineData("*/15 * * * *", "2026-12-07T10:30:00Z")]
    [InlineData("0 3 * * *", "2026-12-08T03:00:00Z")]
    [InlineData("0 3 * * 1", "2026-12-14T03:00:00Z")]
    [InlineData("0 3 * * MON", "2026-12-14T03:00:00Z")]
    [InlineData("30 10 * * 1-5", "2026-12-07T10:30:00Z")]
    [InlineData("0 0 1 * *", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2028-02-29T00:00:00Z")]
    [InlineData("0 12 1 JAN,jul *", "2027-01-01T12:00:00Z")]
    [InlineData("5/20 9-11 * * *", "2026-12-07T10:25:00Z")]
    [InlineData("0 0 * * 7", "2026-12-13T00:00:00Z")]
    public void Next_is_the_first_matching_minute_after_the_given_time(string schedule, string expected)
    {
        var next = CronSchedule.Parse(schedule).Next(Monday);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void Next_is_strictly_after_a_time_that_itself_matches()
    {
        var schedule = CronSchedule.Parse("0 * * * *");
        var onTheHour = new DateTimeOffset(2026, 12, 7, 11, 0, 0, TimeSpan.Zero);

        Assert.Equal(onTheHour.AddHours(1), schedule.Next(onTheHour));
    }

    [Fact]
    public void With_both_day_fields_restricted_a_day_matching_either_counts()
    {
        // The 13th of the month OR a Friday, as Vixie cron reads it: Friday Dec 11 comes before the 13th.
        var next = CronSchedule.Parse("0 0 13 * 5").Next(Monday);

        Assert.Equal(new DateTimeOffset(2026, 12, 11, 0, 0, 0, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData("* * * *", "has 4 fields")]
    [InlineData("* * * * * *", "has 6 fields")]
    [InlineData("60 * * * *", "minute field '60': 60 is outside 0-59")]
    [InlineData("* 24 * * *", "hour field '24': 24 is outside 0-23")]
    [InlineData("* * 0 * *", "day-of-month field '0': 0 is outside 1-31")]
    [InlineData("* * * 13 *", "month field '13': 13 is outside 1-12")]
    [InlineData("* * * * 8", "day-of-week field '8': 8 is outside 0-7")]
    [InlineData("*/0 * * * *", "step '0' is not a positive number")]
    [InlineData("10-5 * * * *", "range 10-5 runs backwards")]
    [InlineData("@daily * * * *", "'@daily' is not a number")]
    [InlineData("* * * FOO *", "'FOO' is not a number or a name")]
    [InlineData("0 0 31 2 *", "names no day that exists")]
    public void A_bad_schedule_is_refused_with_what_is_wrong(string schedule, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(schedule));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
