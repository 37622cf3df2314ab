using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Manifests;

/// <summary>
/// The samples in config/samples against the generated CRD schemas, admitted the way the API server would
/// (defaults, structural checks, CEL rules), plus broken variants that must be refused.
/// </summary>
public sealed class SampleManifestsTests
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.Config, "samples");

    private static readonly Dictionary<string, SchemaValidator> Validators = CrdGenerator.DiscoverEntities()
        .ToDictionary(e => CrdGenerator.ResourceOf(e).Kind, e => new SchemaValidator(CrdGenerator.BuildSchema(e)));

    public static TheoryData<string> ImprintSamples() =>
        [.. SampleFiles()];

    private static IEnumerable<string> SampleFiles() =>
        Directory.EnumerateFiles(Samples, "imprint.dev_*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(ImprintSamples))]
    public void Sample_is_admitted_by_its_crd(string file)
    {
        var sample = Load(file);

        Assert.Equal("imprint.dev/v1alpha1", (string?)sample["apiVersion"]);
        Assert.Empty(Admit(sample));
    }

    [Fact]
    public void Samples_cover_both_kinds_and_both_sources()
    {
        Assert.NotNull(Load("imprint.dev_v1alpha1_goldenimage_http.yaml")["spec"]!["source"]!["http"]);
        Assert.NotNull(Load("imprint.dev_v1alpha1_goldenimage_pvc.yaml")["spec"]!["source"]!["pvc"]);
        Assert.Equal("VmClone", (string?)Load("imprint.dev_v1alpha1_vmclone.yaml")["kind"]);
    }

    [Fact]
    public void Http_sample_points_at_debian_12_with_a_sha512_placeholder()
    {
        var http = Load("imprint.dev_v1alpha1_goldenimage_http.yaml")["spec"]!["source"]!["http"]!;

        Assert.Equal("https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2", (string?)http["url"]);
        Assert.Matches("^sha512:[0-9a-f]{128}$", (string?)http["checksum"]);
        Assert.Contains("Replace it with the real SHA-512", File.ReadAllText(Path.Combine(Samples, "imprint.dev_v1alpha1_goldenimage_http.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_fill_strategy_reclaim_policy_and_customize_identity_policies()
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        var spec = clone["spec"]!.AsObject();
        spec.Remove("strategy");
        spec.Remove("reclaimPolicy");

        var defaulted = Validators["VmClone"].WithDefaults(clone)["spec"]!;

        Assert.Equal("Auto", (string?)defaulted["strategy"]);
        Assert.Equal("Retain", (string?)defaulted["reclaimPolicy"]);
        Assert.Equal("Regenerate", (string?)defaulted["customize"]!["sshHostKeys"]);
        Assert.Equal("Regenerate", (string?)defaulted["customize"]!["machineId"]);
        Assert.Equal("0644", (string?)defaulted["customize"]!["files"]![0]!["mode"]);
    }

    [Fact]
    public void Pool_and_vm_samples_name_the_clone_template_sample_whose_strings_all_parse()
    {
        var template = Load("imprint.dev_v1alpha1_clonetemplate.yaml");
        var customize = System.Text.Json.JsonSerializer.Deserialize(template["spec"]!["customize"]!.ToJsonString(), Imprint.Operator.Apis.ImprintJsonContext.Default.CustomizeSpec);
        Assert.Empty(Imprint.Operator.Controllers.CloneTemplates.CloneTemplateRenderer.Validate(customize));
        Assert.Contains("{{ .vm.name }}", Imprint.Operator.Controllers.CloneTemplates.CloneTemplateRenderer.Placeholders(customize));
        foreach (var (file, templates) in new[]
        {
            ("kubevirt_virtualmachinepool.yaml", (Func<JsonObject, JsonNode?>)(o => o["spec"]!["virtualMachineTemplate"]!["spec"]!["dataVolumeTemplates"])),
            ("kubevirt_virtualmachine_datavolumetemplates.yaml", o => o["spec"]!["dataVolumeTemplates"]),
        })
        {
            var source = Assert.Single(templates(Load(file))!.AsArray())!["spec"]!["storage"]!["dataSourceRef"]!;
            Assert.Equal(("imprint.dev", "CloneTemplate", (string?)template["metadata"]!["name"]),
                ((string?)source["apiGroup"], (string?)source["kind"], (string?)source["name"]));
        }
    }

    [Fact]
    public void Two_sources_are_refused()
    {
        var golden = Load("imprint.dev_v1alpha1_goldenimage_http.yaml");
        golden["spec"]!["source"]!["pvc"] = new JsonObject { ["name"] = "disk" };

        AssertRefused(golden, "spec.source: Invalid value: set exactly one of source.pvc, source.http or source.goldenImage");
    }

    [Fact]
    public void No_source_is_refused()
    {
        var golden = Load("imprint.dev_v1alpha1_goldenimage_pvc.yaml");
        golden["spec"]!["source"] = new JsonObject();

        AssertRefused(golden, "spec.source: Invalid value: set exactly one of source.pvc, source.http or source.goldenImage");
    }

    [Fact]
    public void Shrinking_a_block_mode_golden_is_refused_while_a_filesystem_one_is_admitted()
    {
        var block = Load("imprint.dev_v1alpha1_goldenimage_pvc.yaml");
        block["spec"]!["seal"] = new JsonObject { ["shrink"] = true };
        block["spec"]!["storage"] = new JsonObject { ["volumeMode"] = "Block" };
        var filesystem = Load("imprint.dev_v1alpha1_goldenimage_pvc.yaml");
        filesystem["spec"]!["seal"] = new JsonObject { ["shrink"] = true };
        var blockUnshrunk = Load("imprint.dev_v1alpha1_goldenimage_pvc.yaml");
        blockUnshrunk["spec"]!["seal"] = new JsonObject { ["shrink"] = false };
        blockUnshrunk["spec"]!["storage"] = new JsonObject { ["volumeMode"] = "Block" };

        Assert.Contains(Admit(block), e => e.StartsWith("spec", StringComparison.Ordinal)
            && e.Contains("Invalid value: seal.shrink needs a Filesystem-mode golden (storage.volumeMode: Filesystem): a Block volume cannot shrink", StringComparison.Ordinal));
        Assert.Empty(Admit(filesystem));
        Assert.Empty(Admit(blockUnshrunk));
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:0123456789abcdef0123456789abcdef")]
    [InlineData("sha512:0000")]
    public void Bad_checksums_are_refused(string checksum)
    {
        var golden = Load("imprint.dev_v1alpha1_goldenimage_http.yaml");
        golden["spec"]!["source"]!["http"]!["checksum"] = checksum;

        AssertRefused(golden, "spec.source.http.checksum: Invalid value");
    }

    [Theory]
    [InlineData("ftp://example.com/disk.img")]
    [InlineData("https://")]
    public void Non_http_urls_are_refused(string url)
    {
        var golden = Load("imprint.dev_v1alpha1_goldenimage_http.yaml");
        golden["spec"]!["source"]!["http"]!["url"] = url;

        AssertRefused(golden, "spec.source.http.url: Invalid value");
    }

    [Theory]
    [InlineData("Web_01")]
    [InlineData("-web")]
    [InlineData("web..example")]
    [InlineData("a-label-that-is-far-too-long-for-rfc-1123-because-it-has-more-than-63-characters")]
    public void Bad_hostnames_are_refused(string hostname)
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        clone["spec"]!["customize"]!["hostname"] = hostname;

        AssertRefused(clone, "spec.customize.hostname:");
    }

    [Fact]
    public void Unknown_strategy_is_refused()
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        clone["spec"]!["strategy"] = "Teleport";

        AssertRefused(clone, "spec.strategy: Unsupported value: \"Teleport\"");
    }

    [Fact]
    public void A_file_with_two_content_sources_is_refused()
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        clone["spec"]!["customize"]!["files"]![0]!["secretRef"] = new JsonObject { ["name"] = "s", ["key"] = "k" };

        AssertRefused(clone, "spec.customize.files[0]: Invalid value: set exactly one of content, secretRef or configMapRef");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0Gi")]
    [InlineData("-10Gi")]
    [InlineData("ten")]
    public void Non_positive_or_malformed_sizes_are_refused(string size)
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        clone["spec"]!["target"]!["size"] = size;

        AssertRefused(clone, "spec.target.size:");
    }

    [Fact]
    public void Integer_sizes_and_partition_numbers_are_admitted()
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        clone["spec"]!["target"]!["size"] = 21474836480L;
        clone["spec"]!["resize"]!["partition"] = 2;

        Assert.Empty(Admit(clone));

        clone["spec"]!["resize"]!["partition"] = 0;
        AssertRefused(clone, "spec.resize.partition: Invalid value: partition must be \"auto\" or a partition number");
    }

    [Fact]
    public void Duplicate_users_and_unknown_fields_are_refused()
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        var users = clone["spec"]!["customize"]!["users"]!.AsArray();
        users.Add(users[0]!.DeepClone());
        clone["spec"]!["customize"]!["colour"] = "blue";

        var errors = Admit(clone);

        Assert.Contains(errors, e => e.StartsWith("spec.customize.users: Duplicate value", StringComparison.Ordinal));
        Assert.Contains("spec.customize.colour: unknown field", errors);
    }

    [Fact]
    public void Changing_the_source_or_customize_after_creation_is_refused_but_storage_may_change()
    {
        var golden = Load("imprint.dev_v1alpha1_goldenimage_http.yaml");
        var changed = (JsonObject)golden.DeepClone();
        changed["spec"]!["source"]!["http"]!["url"] = "https://example.com/other.qcow2";
        AssertRefused(changed, "spec.source: Invalid value: spec.source is immutable; create a new GoldenImage", old: golden);

        var withoutSeal = (JsonObject)golden.DeepClone();
        withoutSeal["spec"]!.AsObject().Remove("seal");
        AssertRefused(withoutSeal, "spec: Invalid value: spec.seal is immutable; create a new GoldenImage", old: golden);

        var resized = (JsonObject)golden.DeepClone();
        resized["spec"]!["storage"]!["size"] = "8Gi";
        Assert.Empty(Admit(resized, golden));

        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        var renamed = (JsonObject)clone.DeepClone();
        renamed["spec"]!["customize"]!["hostname"] = "web-02";
        AssertRefused(renamed, "spec.customize: Invalid value: spec.customize is immutable; create a new VmClone", old: clone);
    }

    [Fact]
    public void Status_written_by_the_operator_is_admitted()
    {
        var golden = Load("imprint.dev_v1alpha1_goldenimage_http.yaml");
        golden["status"] = JsonNode.Parse("""
            {"phase":"Ready","progress":"100%","observedGeneration":1,"virtualSize":2147483648,
             "pvc":{"name":"debian-12","namespace":"default"},
             "conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"","lastTransitionTime":"2025-01-02T03:04:05Z"}]}
            """);
        Assert.Empty(Admit(golden));

        golden["status"]!["progress"] = "101%";
        AssertRefused(golden, "status.progress: Invalid value");
    }

    [Fact]
    public void Virtual_machine_sample_boots_the_pvc_the_clone_sample_creates()
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml");
        var vm = Load("kubevirt_virtualmachine.yaml");

        Assert.Null(clone["spec"]!["target"]!["pvcName"]);
        var volume = Assert.Single(vm["spec"]!["template"]!["spec"]!["volumes"]!.AsArray());
        Assert.Equal((string?)clone["metadata"]!["name"], (string?)volume!["persistentVolumeClaim"]!["claimName"]);
        Assert.Equal("kubevirt.io/v1", (string?)vm["apiVersion"]);
    }

    [Fact]
    public void Pvc_sample_reads_the_pvc_the_cdi_datavolume_sample_imports()
    {
        var pvc = Load("imprint.dev_v1alpha1_goldenimage_pvc.yaml")["spec"]!["source"]!["pvc"]!;
        var dataVolume = Load("cdi_datavolume.yaml");

        Assert.Equal("cdi.kubevirt.io/v1beta1", (string?)dataVolume["apiVersion"]);
        Assert.Equal((string?)dataVolume["metadata"]!["name"], (string?)pvc["name"]);
        Assert.Equal((string?)dataVolume["metadata"]!["namespace"], (string?)pvc["namespace"]);
        Assert.StartsWith("https://", (string?)dataVolume["spec"]!["source"]!["http"]!["url"], StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_sample_has_hostname_static_network_and_grows_past_the_golden_size()
    {
        var clone = Load("imprint.dev_v1alpha1_vmclone.yaml")["spec"]!;
        var golden = Load("imprint.dev_v1alpha1_goldenimage_http.yaml");
        var nic = clone["customize"]!["network"]!["interfaces"]![0]!;

        Assert.Equal((string?)golden["metadata"]!["name"], (string?)clone["goldenImage"]!["name"]);
        Assert.Equal("web-01", (string?)clone["customize"]!["hostname"]);
        Assert.False((bool)nic["dhcp4"]!);
        Assert.NotEmpty(nic["addresses"]!.AsArray());
        Assert.True(Gibibytes((string)clone["target"]!["size"]!) > Gibibytes((string)golden["spec"]!["storage"]!["size"]!));
    }

    private static long Gibibytes(string quantity) =>
        quantity.EndsWith("Gi", StringComparison.Ordinal) ? long.Parse(quantity[..^2], System.Globalization.CultureInfo.InvariantCulture) : throw new FormatException(quantity);

    [Fact]
    public void Clone_sample_secret_reference_resolves_to_the_sample_secret()
    {
        var reference = Load("imprint.dev_v1alpha1_vmclone.yaml")["spec"]!["customize"]!["users"]![0]!["sshAuthorizedKeysSecretRef"]!;
        var secret = Load("imprint_ssh_keys_secret.yaml");

        Assert.Equal((string?)secret["metadata"]!["name"], (string?)reference["name"]);
        Assert.StartsWith("ssh-ed25519 ", (string?)secret["stringData"]![(string)reference["key"]!], StringComparison.Ordinal);
    }

    [Fact]
    public void Kustomization_lists_existing_files_and_every_imprint_sample()
    {
        var resources = Load("kustomization.yaml")["resources"]!.AsArray().Select(r => (string)r!).ToList();

        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(Samples, r)), r));
        Assert.All(SampleFiles(), file => Assert.Contains(file, resources));
    }

    [Fact]
    public void Every_generated_and_sample_file_is_valid_yaml()
    {
        var files = Directory.EnumerateFiles(RepositoryPaths.Config, "*.yaml", SearchOption.AllDirectories).ToList();

        Assert.True(files.Count >= 15, $"only {files.Count} files");
        Assert.All(files, f => Assert.NotEmpty(YamlJson.ParseDocuments(File.ReadAllText(f))));
    }

    private static JsonObject Load(string file) =>
        YamlJson.ParseSingle(File.ReadAllText(Path.Combine(Samples, file)))!.AsObject();

    private static IReadOnlyList<string> Admit(JsonObject obj, JsonObject? old = null) =>
        Validators[(string)obj["kind"]!].Admit(obj, old);

    private static void AssertRefused(JsonObject obj, string expectedPrefix, JsonObject? old = null)
    {
        var errors = Admit(obj, old);
        Assert.True(
            errors.Any(e => e.StartsWith(expectedPrefix, StringComparison.Ordinal)),
            $"expected an error starting '{expectedPrefix}', got: [{string.Join("; ", errors)}]");
    }

    // Keeps the sample kinds and the C# kinds from drifting apart silently.
    [Fact]
    public void Validators_exist_for_both_csharp_kinds()
    {
        Assert.True(Validators.ContainsKey(V1Alpha1GoldenImage.KindName));
        Assert.True(Validators.ContainsKey(V1Alpha1VmClone.KindName));
    }
}
