using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Tests.Customization.Edits;

public sealed class HostnameEditTests
{
    [Fact]
    public void Debian_writes_etc_hostname_and_the_hosts_line()
    {
        var files = HostnameEdit.Render("web-01", GuestFamily.Debian, "127.0.0.1\tlocalhost\n127.0.1.1\tgolden\n", sysconfigNetwork: null);

        Assert.Equal(
            [new GuestFile("/etc/hostname", "web-01\n"), new GuestFile("/etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tweb-01\n")],
            files);
    }

    [Fact]
    public void Debian_without_an_etc_hosts_gets_a_minimal_one()
    {
        var files = HostnameEdit.Render("web-01", GuestFamily.Debian, etcHosts: null, sysconfigNetwork: null);

        Assert.Equal(new GuestFile("/etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tweb-01\n"), files[1]);
    }

    [Fact]
    public void Old_rhel_sysconfig_network_hostname_is_replaced_and_hosts_is_left_alone()
    {
        var files = HostnameEdit.Render("db-01", GuestFamily.RedHat, "127.0.0.1 localhost\n", "NETWORKING=yes\nHOSTNAME=golden.localdomain\n");

        Assert.Equal(
            [new GuestFile("/etc/hostname", "db-01\n"), new GuestFile("/etc/sysconfig/network", "NETWORKING=yes\nHOSTNAME=db-01\n")],
            files);
    }

    [Fact]
    public void A_sysconfig_network_without_hostname_is_not_touched()
    {
        var files = HostnameEdit.Render("db-01", GuestFamily.RedHat, null, "NETWORKING=yes\n");

        Assert.Equal([new GuestFile("/etc/hostname", "db-01\n")], files);
    }

    [Fact]
    public void Suse_also_writes_etc_HOSTNAME()
    {
        var files = HostnameEdit.Render("sles-01", GuestFamily.Suse, null, null);

        Assert.Equal([new GuestFile("/etc/hostname", "sles-01\n"), new GuestFile("/etc/HOSTNAME", "sles-01\n")], files);
    }

    [Fact]
    public void Rendering_over_its_own_output_writes_nothing_on_debian()
    {
        var first = HostnameEdit.Render("web-01", GuestFamily.Debian, "127.0.0.1\tlocalhost\n", null);

        var second = HostnameEdit.Render("web-01", GuestFamily.Debian, first[1].Content, null, etcHostname: first[0].Content);

        Assert.Empty(second);
    }
}
