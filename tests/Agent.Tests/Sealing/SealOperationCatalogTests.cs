using Imprint.Agent.Errors;
using Imprint.Agent.Sealing;
using Imprint.Agent.Sealing.Operations;

namespace Imprint.Agent.Tests.Sealing;

public sealed class SealOperationCatalogTests
{
    [Fact]
    public void Lists_every_operation_the_issue_names_with_unique_names_and_descriptions()
    {
        string[] required =
        [
            "ssh-hostkeys", "machine-id", "logfiles", "bash-history", "tmp-files", "udev-persistent-net", "net-hwaddr",
            "net-nmconn", "dhcp-client-state", "dhcp-server-state", "package-manager-cache", "crash-data", "mail-spool",
            "cron-spool", "utmp", "pacct-log", "passwd-backups", "blkid-tab", "lvm-system-devices", "rpm-db", "cloud-init",
        ];
        var names = SealOperationCatalog.All.Select(o => o.Name).ToList();

        Assert.All(required, name => Assert.Contains(name, names));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(SealOperationCatalog.All, o => Assert.False(string.IsNullOrWhiteSpace(o.Description)));
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Empty_selection_means_the_defaults()
    {
        Assert.Equal(SealOperationCatalog.Defaults, SealOperationCatalog.Select(null));
        Assert.Equal(SealOperationCatalog.Defaults, SealOperationCatalog.Select(" "));
    }

    [Fact]
    public void Explicit_list_selects_exactly_those_in_catalog_order()
    {
        var chosen = SealOperationCatalog.Select("ssh-hostkeys,machine-id");

        Assert.Equal(["machine-id", "ssh-hostkeys"], chosen.Select(o => o.Name));
    }

    [Fact]
    public void Removals_alone_start_from_the_defaults()
    {
        var chosen = SealOperationCatalog.Select("-ssh-userdir,-logfiles");

        Assert.DoesNotContain(chosen, o => o.Name is "ssh-userdir" or "logfiles");
        Assert.Equal(SealOperationCatalog.Defaults.Count - 2, chosen.Count);
    }

    [Fact]
    public void Defaults_plus_and_minus_combine()
    {
        var chosen = SealOperationCatalog.Select("defaults,-tmp-files");

        Assert.DoesNotContain(chosen, o => o is TmpFilesOperation);
        Assert.Contains(chosen, o => o is MachineIdOperation);
    }

    [Fact]
    public void None_selects_nothing()
    {
        Assert.Empty(SealOperationCatalog.Select("none"));
    }

    [Fact]
    public void Unknown_operation_is_a_usage_error_naming_it()
    {
        var error = Assert.Throws<ImprintException>(() => SealOperationCatalog.Select("machine-id,frobnicate"));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("frobnicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ifcfg_key_removal_keeps_every_other_line_byte_for_byte()
    {
        const string content = "DEVICE=eth0\nHWADDR=52:54:00:12:34:56\nBOOTPROTO=dhcp\n  HWADDR=aa\n# HWADDR=comment\nONBOOT=yes\n";

        var result = IfcfgKeyRemovalOperation.RemoveKeys(content, ["HWADDR"]);

        Assert.Equal("DEVICE=eth0\nBOOTPROTO=dhcp\n# HWADDR=comment\nONBOOT=yes\n", result);
    }
}
