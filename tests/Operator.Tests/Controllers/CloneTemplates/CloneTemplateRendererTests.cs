using FsCheck;
using FsCheck.Fluent;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.CloneTemplates;
using Imprint.Operator.Controllers.Storage;

namespace Imprint.Operator.Tests.Controllers.CloneTemplates;

public sealed class CloneTemplateRendererTests
{
    private static readonly PlaceholderValues Values = new()
    {
        ClaimName = "root-1",
        ClaimNamespace = "vms",
        ClaimAnnotations = new Dictionary<string, string> { ["example.com/ip"] = "192.0.2.11/24" },
        VmName = "app-1",
    };

    [Fact]
    public void Every_string_at_any_depth_is_rendered_and_everything_else_is_kept()
    {
        var template = new CustomizeSpec
        {
            Hostname = "{{ .vm.name }}",
            Hosts = [new HostEntry { Ip = "127.0.1.1", Hostnames = ["{{ .vm.name }}.{{ .claim.namespace }}.local"] }],
            Network = new NetworkSpec { Interfaces = [new NetworkInterfaceSpec { Name = "eth0", Addresses = ["{{ .claim.annotations[\"example.com/ip\"] }}"], Mtu = 1400 }] },
            Files = [new FileSpec { Path = "/etc/{{ .claim.name }}", Content = "disk {{ .claim.name }} of {{ .vm.name }}", Mode = "0600" }],
            FirstBootCommands = ["echo {{ \"{{\" }}not a placeholder}}"],
            MachineId = RegeneratePolicy.Keep,
        };

        var (rendered, errors) = CloneTemplateRenderer.Render(template, Values);

        Assert.Empty(errors);
        Assert.Equal("app-1", rendered!.Hostname);
        Assert.Equal(["app-1.vms.local"], rendered.Hosts![0].Hostnames);
        var nic = Assert.Single(rendered.Network!.Interfaces!);
        Assert.Equal(["192.0.2.11/24"], nic.Addresses);
        Assert.Equal(1400, nic.Mtu);
        Assert.Equal(("/etc/root-1", "disk root-1 of app-1", "0600"), (rendered.Files![0].Path, rendered.Files[0].Content, rendered.Files[0].Mode));
        Assert.Equal(["echo {{not a placeholder}}"], rendered.FirstBootCommands);
        Assert.Equal(RegeneratePolicy.Keep, rendered.MachineId);
        Assert.Equal("{{ .vm.name }}", template.Hostname); // the template itself is untouched
    }

    [Fact]
    public void Errors_name_the_field_of_each_string_that_cannot_be_rendered()
    {
        var template = new CustomizeSpec
        {
            Hostname = "{{ .vm.name }}",
            Files = [new FileSpec { Path = "/etc/x", Content = "{{ .claim.labels[\"owner\"] }}" }],
        };

        var (rendered, errors) = CloneTemplateRenderer.Render(template, Values with { VmName = null });

        Assert.Null(rendered);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("spec.customize.hostname: {{ .vm.name }} has no value", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.customize.files[0].content: {{ .claim.labels[\"owner\"] }} has no value", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_finds_unknown_placeholders_even_in_strings_too_long_for_a_CEL_rule_and_lists_what_is_used()
    {
        var template = new CustomizeSpec
        {
            Hostname = "{{ .vm.name }}",
            Files = [new FileSpec { Path = "/etc/motd", Content = new string('x', 20000) + "{{ .claim.uid }}" }],
        };

        var errors = CloneTemplateRenderer.Validate(template);

        var error = Assert.Single(errors);
        Assert.StartsWith("spec.customize.files[0].content: at character 20001: unknown placeholder '.claim.uid'", error, StringComparison.Ordinal);
        Assert.Equal(["{{ .vm.name }}"], CloneTemplateRenderer.Placeholders(template));
    }

    [Fact]
    public void Disk_of_a_claim_needs_a_claim_at_least_as_large_as_it_so_the_prime_volume_fits_the_users_claim()
    {
        var sizes = Gen.Choose(1, 1 << 20).Select(k => (long)k * 1024 + 7).ToArbitrary();
        Prop.ForAll(sizes, bytes =>
                DiskSizing.ClaimBytes(DiskSizing.DiskBytesFor(bytes, VolumeMode.Filesystem, 0.055), VolumeMode.Filesystem, 0.055) >= bytes
                && DiskSizing.DiskBytesFor(bytes, VolumeMode.Filesystem, 0.055) % (1 << 20) == 0
                && DiskSizing.ClaimBytes(DiskSizing.DiskBytesFor(bytes, VolumeMode.Block, 0.055), VolumeMode.Block, 0.055) >= bytes)
            .QuickCheckThrowOnFailure();
    }
}
