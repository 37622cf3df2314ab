using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Tests.Customization.Edits;

public sealed class HostsFileTests
{
    private const string DebianHosts = "127.0.0.1\tlocalhost\n127.0.1.1\tgolden.example.com\tgolden\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\n";
    private static readonly List<HostEntrySpec> Entries = [new() { Ip = "10.0.0.10", Hostnames = ["db.internal", "db"] }, new() { Ip = "fd00::20", Hostnames = ["cache"] }];

    [Fact]
    public void Debian_hostname_replaces_the_names_on_the_127_0_1_1_line_only()
    {
        var updated = HostsFile.WithHostname(DebianHosts, "web-01.example.com", GuestFamily.Debian);

        Assert.Equal(DebianHosts.Replace("127.0.1.1\tgolden.example.com\tgolden", "127.0.1.1\tweb-01.example.com web-01", StringComparison.Ordinal), updated);
        Assert.Equal(updated, HostsFile.WithHostname(updated, "web-01.example.com", GuestFamily.Debian));
    }

    [Fact]
    public void Debian_hostname_line_is_added_after_the_last_localhost_line_when_missing()
    {
        const string hosts = "127.0.0.1 localhost\n::1 localhost\n";

        Assert.Equal("127.0.0.1 localhost\n127.0.1.1\tweb-01\n::1 localhost\n", HostsFile.WithDebianHostname(hosts, "web-01"));
        Assert.Equal("127.0.1.1\tweb-01\n", HostsFile.WithDebianHostname(string.Empty, "web-01"));
    }

    [Fact]
    public void Debian_hostname_keeps_the_files_separator_and_line_ending()
    {
        Assert.Equal("127.0.1.1    web-01\r\n", HostsFile.WithDebianHostname("127.0.1.1    old # note\r\n", "web-01"));
    }

    [Theory]
    [InlineData(GuestFamily.RedHat)]
    [InlineData(GuestFamily.Suse)]
    [InlineData(GuestFamily.Alpine)]
    [InlineData(GuestFamily.Arch)]
    public void Other_families_keep_their_loopback_lines(GuestFamily family)
    {
        const string hosts = "127.0.0.1   localhost localhost.localdomain\n::1         localhost localhost.localdomain\n";

        Assert.Equal(hosts, HostsFile.WithHostname(hosts, "web-01", family));
    }

    [Fact]
    public void Extra_entries_go_in_a_marked_block_that_reapplies_to_the_same_text()
    {
        var once = HostsFile.WithEntries(DebianHosts, Entries);
        var twice = HostsFile.WithEntries(once, Entries);

        Assert.Equal(DebianHosts + "# BEGIN imprint\n10.0.0.10\tdb.internal db\nfd00::20\tcache\n# END imprint\n", once);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void The_block_is_replaced_in_place_and_removed_when_there_are_no_entries()
    {
        const string hosts = "127.0.0.1 localhost\n# BEGIN imprint\n10.9.9.9\told\n# END imprint\n192.168.1.1 router\n";

        Assert.Equal("127.0.0.1 localhost\n# BEGIN imprint\n10.0.0.10\tdb.internal db\nfd00::20\tcache\n# END imprint\n192.168.1.1 router\n", HostsFile.WithEntries(hosts, Entries));
        Assert.Equal("127.0.0.1 localhost\n192.168.1.1 router\n", HostsFile.WithEntries(hosts, []));
    }

    [Fact]
    public void A_file_without_a_final_newline_gets_one_before_the_block()
    {
        Assert.Equal("127.0.0.1 localhost\n# BEGIN imprint\n10.0.0.10\tdb.internal db\nfd00::20\tcache\n# END imprint\n", HostsFile.WithEntries("127.0.0.1 localhost", Entries));
        Assert.Equal("# BEGIN imprint\n10.0.0.10\tdb.internal db\nfd00::20\tcache\n# END imprint\n", HostsFile.WithEntries(string.Empty, Entries));
    }

    [Fact]
    public void A_begin_marker_without_an_end_is_a_conflict()
    {
        var error = Assert.Throws<ImprintException>(() => HostsFile.WithEntries("# BEGIN imprint\n1.2.3.4 x\n", Entries));

        Assert.Equal(ExitCode.Conflict, error.Code);
    }
}
