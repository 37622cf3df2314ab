using Imprint.Agent.Customization.Passwords;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Tests.Customization.Passwords;

public sealed class ShadowFileTests
{
    private const string Shadow = "root:*:19000:0:99999:7:::\n# a comment\ndaemon:*:19000:0:99999:7:::\ndebian:!:19000:0:99999:7:::\n";
    private static readonly DateTimeOffset Day20000 = DateTimeOffset.FromUnixTimeSeconds(86400L * 20000 + 3600);

    [Fact]
    public void Setting_a_password_changes_only_that_users_hash_and_last_change_day()
    {
        var updated = ShadowFile.WithPassword(Shadow, "root", "$6$salt$hash", Day20000);

        Assert.Equal("root:$6$salt$hash:20000:0:99999:7:::\n# a comment\ndaemon:*:19000:0:99999:7:::\ndebian:!:19000:0:99999:7:::\n", updated);
    }

    [Fact]
    public void Setting_the_same_hash_again_changes_nothing_even_on_a_later_day()
    {
        var once = ShadowFile.WithPassword(Shadow, "root", "$6$salt$hash", Day20000);

        Assert.Equal(once, ShadowFile.WithPassword(once, "root", "$6$salt$hash", Day20000.AddDays(30)));
    }

    [Fact]
    public void Locking_prefixes_an_exclamation_mark_once_and_keeps_the_other_fields()
    {
        var withHash = ShadowFile.WithPassword(Shadow, "root", "$6$salt$hash", Day20000);

        var locked = ShadowFile.WithLocked(withHash, "root");

        Assert.Equal("root:!$6$salt$hash:20000:0:99999:7:::\n# a comment\ndaemon:*:19000:0:99999:7:::\ndebian:!:19000:0:99999:7:::\n", locked);
        Assert.Equal(locked, ShadowFile.WithLocked(locked, "root"));
        Assert.True(ShadowFile.Parse(locked)[0].IsLocked);
    }

    [Fact]
    public void Crlf_lines_and_a_missing_final_newline_are_preserved()
    {
        const string text = "root:*:19000:0:99999:7:::\r\ndebian:!:19000:0:99999:7:::";

        var updated = ShadowFile.WithPassword(text, "debian", "$6$s$h", Day20000);

        Assert.Equal("root:*:19000:0:99999:7:::\r\ndebian:$6$s$h:20000:0:99999:7:::", updated);
    }

    [Fact]
    public void Parse_reads_every_field_and_skips_comments()
    {
        var entries = ShadowFile.Parse("root:$6$x$y:19500:0:99999:7:::\n# c\nnoaging:*::0:99999:7:::\n");

        Assert.Equal(new ShadowEntry("root", "$6$x$y", 19500, "0", "99999", "7", "", ""), entries[0]);
        Assert.Null(entries[1].LastChanged);
        Assert.Equal("$6$x$y", ShadowFile.PasswordField("root:$6$x$y:19500::::::\n", "root"));
        Assert.Null(ShadowFile.PasswordField("root:x:1::::::\n", "nobody"));
    }

    [Fact]
    public void Unknown_users_and_hashes_that_would_corrupt_the_file_are_usage_errors()
    {
        var missing = Assert.Throws<ImprintException>(() => ShadowFile.WithLocked(Shadow, "nobody"));
        var corrupt = Assert.Throws<ImprintException>(() => ShadowFile.WithPassword(Shadow, "root", "$6$a:b", Day20000));

        Assert.Equal((ExitCode.Usage, ExitCode.Usage), (missing.Code, corrupt.Code));
        Assert.Contains("'nobody' has no entry in the guest's /etc/shadow", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Days_since_epoch_round_down() =>
        Assert.Equal((0L, 0L, 1L), (ShadowFile.DaysSinceEpoch(DateTimeOffset.UnixEpoch), ShadowFile.DaysSinceEpoch(DateTimeOffset.UnixEpoch.AddHours(23)), ShadowFile.DaysSinceEpoch(DateTimeOffset.UnixEpoch.AddHours(24))));
}
