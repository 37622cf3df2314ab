using System.Globalization;

namespace Imprint.Operator.Controllers.Revisions;

/// <summary>
/// A 5-field cron expression (minute hour day-of-month month day-of-week, UTC): <c>*</c>, numbers, names (JAN, MON),
/// lists, ranges and <c>/step</c>. As in Vixie cron, when both day fields are restricted a day matching either counts.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _dayOfMonthRestricted;
    private readonly bool _dayOfWeekRestricted;

    private CronSchedule(string text, bool[][] fields, bool dayOfMonthRestricted, bool dayOfWeekRestricted)
    {
        Text = text;
        (_minutes, _hours, _daysOfMonth, _months, _daysOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        _dayOfMonthRestricted = dayOfMonthRestricted;
        _dayOfWeekRestricted = dayOfWeekRestricted;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; a <see cref="FormatException"/> names the field and what is wrong.</summary>
    public static CronSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            throw new FormatException($"schedule '{text}' has {parts.Length} fields; a cron schedule has 5: minute hour day-of-month month day-of-week");
        }

        var fields = new[]
        {
            ParseField(parts[0], "minute", 0, 59, null),
            ParseField(parts[1], "hour", 0, 23, null),
            ParseField(parts[2], "day-of-month", 1, 31, null),
            ParseField(parts[3], "month", 1, 12, MonthNames),
            ParseField(parts[4], "day-of-week", 0, 7, DayNames),
        };

        // 7 is Sunday too.
        fields[4][0] |= fields[4][7];
        if (!Enumerable.Range(1, 31).Any(d => fields[2][d] && Enumerable.Range(1, 12).Any(m => fields[3][m] && d <= DateTime.DaysInMonth(2024, m))))
        {
            throw new FormatException($"schedule '{text}' names no day that exists in its months");
        }

        return new CronSchedule(text, fields, parts[2] != "*", parts[4] != "*");
    }

    /// <summary>The first whole minute strictly after <paramref name="after"/> that the schedule matches (UTC).</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        var utc = after.ToUniversalTime();
        var start = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var day = new DateTimeOffset(start.Year, start.Month, start.Day, 0, 0, 0, TimeSpan.Zero);

        // Every valid schedule matches within 8 years: Feb 29 alone is the rarest day (leap years may be 8 apart).
        for (var i = 0; i < 366 * 8; i++, day = day.AddDays(1))
        {
            if (!_months[day.Month] || !DayMatches(day))
            {
                continue;
            }

            for (var hour = day.Date == start.Date ? start.Hour : 0; hour < 24; hour++)
            {
                if (!_hours[hour])
                {
                    continue;
                }

                var firstMinute = day.Date == start.Date && hour == start.Hour ? start.Minute : 0;
                for (var minute = firstMinute; minute < 60; minute++)
                {
                    if (_minutes[minute])
                    {
                        return day.AddHours(hour).AddMinutes(minute);
                    }
                }
            }
        }

        throw new InvalidOperationException($"schedule '{Text}' matches no time in 8 years");
    }

    public override string ToString() => Text;

    private bool DayMatches(DateTimeOffset day)
    {
        var byMonth = _daysOfMonth[day.Day];
        var byWeek = _daysOfWeek[(int)day.DayOfWeek];
        return _dayOfMonthRestricted && _dayOfWeekRestricted ? byMonth || byWeek
            : _dayOfMonthRestricted ? byMonth
            : !_dayOfWeekRestricted || byWeek;
    }

    private static bool[] ParseField(string field, string name, int min, int max, string[]? names)
    {
        var set = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            var (range, step) = SplitStep(item, field, name);
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var low, var high])
            {
                (from, to) = (Value(low, field, name, min, max, names), Value(high, field, name, min, max, names));
                if (from > to)
                {
                    throw new FormatException($"{name} field '{field}': range {range} runs backwards");
                }
            }
            else
            {
                from = Value(range, field, name, min, max, names);
                // A single value with a step (5/15) runs to the end, as in Vixie cron.
                to = item.Contains('/', StringComparison.Ordinal) ? max : from;
            }

            for (var v = from; v <= to; v += step)
            {
                set[v] = true;
            }
        }

        return set;
    }

    private static (string Range, int Step) SplitStep(string item, string field, string name)
    {
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (item, 1);
        }

        if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1)
        {
            throw new FormatException($"{name} field '{field}': step '{item[(slash + 1)..]}' is not a positive number");
        }

        return (item[..slash], step);
    }

    private static int Value(string text, string field, string name, int min, int max, string[]? names)
    {
        var index = names is null ? -1 : Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            // Month names count from 1, day names from 0 (SUN).
            return names == MonthNames ? index + 1 : index;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{name} field '{field}': '{text}' is not a number{(names is null ? "" : " or a name")}");
        }

        if (value < min || value > max)
        {
            throw new FormatException($"{name} field '{field}': {value} is outside {min}-{max}");
        }

        return value;
    }
}
