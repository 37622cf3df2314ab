using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Tests.Charts.Support;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;
using Microsoft.Extensions.Configuration;

namespace Imprint.Operator.Tests.Charts;

/// <summary>
/// charts/imprint through the real helm: strict lint, `helm template` with the defaults and with a values file that
/// sets every key, the rendered objects checked against config/ (RBAC rules, CRDs) and the schema's refusals.
/// </summary>
public sealed class ChartTests
{
    private const string Everything = "everything.yaml";

    public static TheoryData<string> ValueSets() => ["", Everything];

    private static IReadOnlyList<JsonObject> Render(string values) => values.Length == 0
        ? Helm.Template("imprint", "imprint-system")
        : Helm.Template("imprint", "ops", "--values", Helm.ValuesFile(values));

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Lint_is_clean_in_strict_mode(string values)
    {
        var result = values.Length == 0
            ? Helm.Run("lint", "--strict", Helm.Chart)
            : Helm.Run("lint", "--strict", Helm.Chart, "--values", Helm.ValuesFile(values));

        Assert.True(result.ExitCode == 0, $"helm lint --strict failed:\n{result.Output}\n{result.Error}");
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("[WARNING]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Volume_populator_registration_renders_only_where_the_volume_populator_api_is_served()
    {
        var without = Render("");
        var with = Helm.Template("imprint", "imprint-system", "--api-versions", "populator.storage.k8s.io/v1beta1");

        Assert.DoesNotContain(without, o => (string?)o["kind"] == "VolumePopulator");
        var populator = Assert.Single(with, o => (string?)o["kind"] == "VolumePopulator");
        Assert.Equal("populator.storage.k8s.io/v1beta1", (string?)populator["apiVersion"]);
        Assert.Equal(("imprint.dev", "CloneTemplate"), ((string?)populator["sourceKind"]!["group"], (string?)populator["sourceKind"]!["kind"]));
        // The CloneTemplate CRD keeps its placeholders through Helm (each "{{" is written as an action printing it).
        var crd = Assert.Single(with, o => (string?)o["metadata"]?["name"] == "clonetemplates.imprint.dev");
        Assert.Contains("{{ .vm.name }}", crd.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_render_the_operator_its_accounts_rbac_crds_config_and_service_but_no_pdb()
    {
        var kinds = Render("").Select(o => (string)o["kind"]!).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition",
             "Deployment", "Role", "RoleBinding", "Service", "ServiceAccount", "ServiceAccount"],
            kinds);
        var names = Render("").Where(o => (string)o["kind"]! is "Deployment" or "ClusterRole" or "Role")
            .Select(o => (string)o["metadata"]!["name"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["imprint-leader-election", "imprint-operator", "imprint-operator"], names);
    }

    [Fact]
    public void Several_replicas_get_a_pdb_and_the_agent_account_exists_in_every_listed_namespace()
    {
        var objects = Render(Everything);

        var pdb = Assert.Single(objects, o => (string)o["kind"]! == "PodDisruptionBudget");
        Assert.Equal(2L, (long)pdb["spec"]!["minAvailable"]!);
        Assert.Equal(Selector(Single(objects, "Deployment")), pdb["spec"]!["selector"]!["matchLabels"]!.ToJsonString());
        var agentAccounts = objects.Where(o => (string)o["kind"]! == "ServiceAccount" && (string)o["metadata"]!["name"]! == "stamp-agent");
        Assert.Equal(["ops", "tenants", "vms"], agentAccounts.Select(a => (string)a["metadata"]!["namespace"]!).Order(StringComparer.Ordinal));
        Assert.All(agentAccounts, a => Assert.False((bool)a["automountServiceAccountToken"]!));
        Assert.All(objects, o => Assert.Equal("virt", (string?)o["metadata"]!["labels"]?["team"]));
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Cluster_role_grants_every_rule_of_config_rbac_and_the_lease_role_every_lease_rule(string values)
    {
        var objects = Render(values);

        AssertGrants(LoadConfig("rbac/role.yaml"), Single(objects, "ClusterRole"));
        AssertGrants(LoadConfig("rbac/leader_election_role.yaml"), Single(objects, "Role"));
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Bindings_bind_the_rendered_roles_to_the_operator_service_account(string values)
    {
        var objects = Render(values);
        var deployment = Single(objects, "Deployment");
        var account = (string)deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!;
        var ns = (string)deployment["metadata"]!["namespace"]!;

        Assert.Contains(objects, o => (string)o["kind"]! == "ServiceAccount" && (string)o["metadata"]!["name"]! == account
            && (string)o["metadata"]!["namespace"]! == ns && (bool)o["automountServiceAccountToken"]!);
        foreach (var (binding, role) in new[] { ("ClusterRoleBinding", "ClusterRole"), ("RoleBinding", "Role") })
        {
            var rendered = Single(objects, binding);
            Assert.Equal((string)Single(objects, role)["metadata"]!["name"]!, (string)rendered["roleRef"]!["name"]!);
            Assert.Equal(role, (string)rendered["roleRef"]!["kind"]!);
            var subject = Assert.Single(rendered["subjects"]!.AsArray())!;
            Assert.Equal(account, (string)subject["name"]!);
            Assert.Equal(ns, (string)subject["namespace"]!);
        }

        Assert.Equal(ns, (string)Single(objects, "Role")["metadata"]!["namespace"]!);
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Crds_equal_config_crd_apart_from_chart_labels_and_annotations(string values)
    {
        var crds = Render(values).Where(o => (string)o["kind"]! == "CustomResourceDefinition").ToList();
        var expected = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Config, "crd"), "imprint.dev_*.yaml")
            .Select(f => YamlJson.ParseSingle(File.ReadAllText(f))!.AsObject())
            .ToDictionary(c => (string)c["metadata"]!["name"]!);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), crds.Select(c => (string)c["metadata"]!["name"]!).Order(StringComparer.Ordinal));
        foreach (var crd in crds)
        {
            var stripped = (JsonObject)crd.DeepClone();
            stripped["metadata"]!.AsObject().Remove("labels");
            stripped["metadata"]!.AsObject().Remove("annotations");
            Assert.True(
                JsonNode.DeepEquals(expected[(string)crd["metadata"]!["name"]!], stripped),
                $"{crd["metadata"]!["name"]} differs from config/crd");
        }
    }

    [Fact]
    public void Crds_are_kept_on_uninstall_by_default_and_can_be_left_out()
    {
        Assert.All(Render("").Where(o => (string)o["kind"]! == "CustomResourceDefinition"),
            crd => Assert.Equal("keep", (string?)crd["metadata"]!["annotations"]!["helm.sh/resource-policy"]));
        Assert.All(Render(Everything).Where(o => (string)o["kind"]! == "CustomResourceDefinition"),
            crd => Assert.Null(crd["metadata"]!["annotations"]));

        var without = Helm.Template("imprint", "imprint-system", "--set", "crds.install=false,rbac.create=false,agent.serviceAccount.create=false");
        Assert.DoesNotContain(without, o => (string)o["kind"]! is "CustomResourceDefinition" or "ClusterRole" or "Role" or "RoleBinding" or "ClusterRoleBinding");
        Assert.Single(without, o => (string)o["kind"]! == "ServiceAccount");
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Operator_runs_non_root_with_a_read_only_root_and_no_capabilities(string values)
    {
        var pod = Single(Render(values), "Deployment")["spec"]!["template"]!["spec"]!;
        var container = Assert.Single(pod["containers"]!.AsArray())!;

        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.NotEqual(0L, (long)pod["securityContext"]!["runAsUser"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.Contains(container["volumeMounts"]!.AsArray(), m => (string)m!["mountPath"]! == "/tmp");
    }

    [Fact]
    public void Deployment_wires_config_downward_api_probes_and_the_chosen_values()
    {
        var defaults = Single(Render(""), "Deployment");
        var container = defaults["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var env = Env(container);

        Assert.Equal(1L, (long)defaults["spec"]!["replicas"]!);
        Assert.Equal($"imprint-operator:{AppVersion()}", (string?)container["image"]);
        Assert.Equal("/etc/imprint/config/imprint.json", (string?)env["IMPRINT_CONFIG"]!["value"]);
        Assert.Equal("metadata.name", (string?)env["POD_NAME"]!["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("metadata.namespace", (string?)env["POD_NAMESPACE"]!["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("Information", (string?)env["Logging__LogLevel__Default"]!["value"]);
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal(8080L, (long)container["ports"]![0]!["containerPort"]!);
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string)m!["name"]! == "config")!;
        Assert.Equal("/etc/imprint/config", (string?)mount["mountPath"]);
        var configMap = Single(Render(""), "ConfigMap");
        Assert.Equal((string)configMap["metadata"]!["name"]!,
            (string?)defaults["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "config")!["configMap"]!["name"]);

        var everything = Single(Render(Everything), "Deployment");
        var pod = everything["spec"]!["template"]!["spec"]!;
        var custom = pod["containers"]![0]!;
        var customEnv = Env(custom);
        Assert.Equal(3L, (long)everything["spec"]!["replicas"]!);
        Assert.Equal("registry.example.com/imprint/operator:1.2.3", (string?)custom["image"]);
        Assert.Equal("Always", (string?)custom["imagePullPolicy"]);
        Assert.Equal("Debug", (string?)customEnv["Logging__LogLevel__Default"]!["value"]);
        Assert.Equal("http://otel-collector.observability:4317", (string?)customEnv["OTEL_EXPORTER_OTLP_ENDPOINT"]!["value"]);
        Assert.Equal("imprint-operator", (string?)customEnv["OTEL_SERVICE_NAME"]!["value"]);
        Assert.Equal("1Gi", (string?)custom["resources"]!["limits"]!["memory"]);
        Assert.Equal("", (string?)pod["nodeSelector"]!["node-role.kubernetes.io/control-plane"]);
        Assert.Equal("NoSchedule", (string?)pod["tolerations"]![0]!["effect"]);
        Assert.NotNull(pod["affinity"]!["nodeAffinity"]);
        Assert.Null(pod["affinity"]!["podAntiAffinity"]);
        Assert.Equal("topology.kubernetes.io/zone", (string?)pod["topologySpreadConstraints"]![0]!["topologyKey"]);
        Assert.Equal("system-cluster-critical", (string?)pod["priorityClassName"]);
        Assert.Equal("regcred", (string?)pod["imagePullSecrets"]![0]!["name"]);
        Assert.Equal(45L, (long)pod["terminationGracePeriodSeconds"]!);
        Assert.Equal("stamp-controller", (string?)pod["serviceAccountName"]);
        Assert.Equal("control", (string?)everything["spec"]!["template"]!["metadata"]!["labels"]!["tier"]);
        Assert.Equal("false", (string?)everything["spec"]!["template"]!["metadata"]!["annotations"]!["example.com/scrape"]);
        var service = Single(Render(Everything), "Service");
        Assert.Equal("NodePort", (string?)service["spec"]!["type"]);
        Assert.Equal(9090L, (long)service["spec"]!["ports"]![0]!["port"]!);
        Assert.Equal(Selector(everything), service["spec"]!["selector"]!.ToJsonString());
    }

    [Theory]
    [InlineData("", 8081L)]
    [InlineData(Everything, 9100L)]
    public void Metrics_port_is_on_the_container_in_its_env_and_on_the_service_as_metrics(string values, long port)
    {
        var objects = Render(values);
        var container = Single(objects, "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var service = Single(objects, "Service");

        // The operator opens the port because IMPRINT_METRICS_PORT names it; the container and Service name it "metrics".
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture), (string?)Env(container)["IMPRINT_METRICS_PORT"]!["value"]);
        var containerPort = Assert.Single(container["ports"]!.AsArray(), p => (string)p!["name"]! == "metrics")!;
        Assert.Equal(port, (long)containerPort["containerPort"]!);
        Assert.Equal("TCP", (string?)containerPort["protocol"]);
        var servicePort = Assert.Single(service["spec"]!["ports"]!.AsArray(), p => (string)p!["name"]! == "metrics")!;
        Assert.Equal(port, (long)servicePort["port"]!);
        Assert.Equal("metrics", (string?)servicePort["targetPort"]);
        // The probes' port is untouched.
        Assert.Equal(8080L, (long)Assert.Single(container["ports"]!.AsArray(), p => (string)p!["name"]! == "http")!["containerPort"]!);
    }

    [Fact]
    public void Service_monitor_renders_only_when_enabled_and_scrapes_the_metrics_port_of_the_operator_service()
    {
        Assert.DoesNotContain(Render(""), o => (string)o["kind"]! == "ServiceMonitor");

        var objects = Render(Everything);
        var monitor = Single(objects, "ServiceMonitor");
        var service = Single(objects, "Service");

        Assert.Equal("monitoring.coreos.com/v1", (string?)monitor["apiVersion"]);
        Assert.Equal("ops", (string?)monitor["metadata"]!["namespace"]);
        Assert.Equal("kube-prometheus-stack", (string?)monitor["metadata"]!["labels"]!["release"]);
        Assert.Equal(["ops"], monitor["spec"]!["namespaceSelector"]!["matchNames"]!.AsArray().Select(n => (string)n!));
        // Its selector picks the operator's Service: every label it asks for is on the Service.
        var selector = monitor["spec"]!["selector"]!["matchLabels"]!.AsObject();
        Assert.NotEmpty(selector);
        Assert.All(selector, label => Assert.Equal((string?)label.Value, (string?)service["metadata"]!["labels"]![label.Key]));
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!;
        Assert.Equal("metrics", (string?)endpoint["port"]);
        Assert.Equal("/metrics", (string?)endpoint["path"]);
        Assert.Equal("1m", (string?)endpoint["interval"]);
        Assert.Equal("20s", (string?)endpoint["scrapeTimeout"]);
    }

    [Fact]
    public void Config_map_json_parses_and_carries_the_agent_image_and_settings()
    {
        var defaults = ConfigJson("").GetProperty("Imprint");
        Assert.True(defaults.GetProperty("LeaderElection").GetBoolean());
        var agent = defaults.GetProperty("Agent");
        Assert.Equal($"imprint-agent:{AppVersion()}", agent.GetProperty("Image").GetString());
        Assert.Equal("IfNotPresent", agent.GetProperty("ImagePullPolicy").GetString());
        Assert.Equal("imprint-agent", agent.GetProperty("ServiceAccountName").GetString());
        Assert.Equal(3, agent.GetProperty("MaxRetries").GetInt32());
        Assert.Equal(3600, agent.GetProperty("ActiveDeadlineSeconds").GetInt32());
        Assert.Equal(JsonValueKind.Array, agent.GetProperty("Tolerations").ValueKind);
        Assert.Equal(JsonValueKind.Object, agent.GetProperty("NodeSelector").ValueKind);
        Assert.Equal("256Mi", agent.GetProperty("Resources").GetProperty("requests").GetProperty("memory").GetString());
        Assert.Equal(120, defaults.GetProperty("Clone").GetProperty("CsiCloneTimeoutSeconds").GetInt32());

        var custom = ConfigJson(Everything).GetProperty("Imprint");
        var customAgent = custom.GetProperty("Agent");
        Assert.Equal("registry.example.com/imprint/agent:1.2.3-debian", customAgent.GetProperty("Image").GetString());
        Assert.Equal("Always", customAgent.GetProperty("ImagePullPolicy").GetString());
        Assert.Equal("stamp-agent", customAgent.GetProperty("ServiceAccountName").GetString());
        Assert.Equal("fast", customAgent.GetProperty("NodeSelector").GetProperty("storage").GetString());
        var toleration = Assert.Single(customAgent.GetProperty("Tolerations").EnumerateArray());
        Assert.Equal("dedicated", toleration.GetProperty("key").GetString());
        Assert.Equal("Equal", toleration.GetProperty("operator").GetString());
        Assert.Equal("2", customAgent.GetProperty("Resources").GetProperty("limits").GetProperty("cpu").GetString());
        Assert.Equal(5, customAgent.GetProperty("MaxRetries").GetInt32());
        Assert.Equal(7200, customAgent.GetProperty("ActiveDeadlineSeconds").GetInt32());
        Assert.Equal(300, custom.GetProperty("Clone").GetProperty("CsiCloneTimeoutSeconds").GetInt32());
        Assert.Equal(JsonValueKind.Object, defaults.GetProperty("Storage").GetProperty("Capabilities").ValueKind);
        var local = custom.GetProperty("Storage").GetProperty("Capabilities").GetProperty("local-storage");
        Assert.False(local.GetProperty("Clone").GetBoolean());
        Assert.False(local.GetProperty("Snapshot").GetBoolean());
        Assert.False(custom.GetProperty("Storage").GetProperty("Capabilities").GetProperty("fast").TryGetProperty("Snapshot", out _));
    }

    [Fact]
    public void Storage_capabilities_from_the_chart_bind_to_the_operator_options()
    {
        var configMap = Single(Render(Everything), "ConfigMap");
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes((string)configMap["data"]!["imprint.json"]!)))
            .Build();

        var options = Imprint.Operator.Controllers.Configuration.ImprintOptions.From(configuration);

        Assert.Equal(false, options.Storage.Capabilities["local-storage"].Clone);
        Assert.Equal(false, options.Storage.Capabilities["local-storage"].Snapshot);
        Assert.Equal(true, options.Storage.Capabilities["fast"].Clone);
        Assert.Null(options.Storage.Capabilities["fast"].Snapshot);
    }

    [Theory]
    [InlineData("--set-string", "operator.replicas=two", "/operator/replicas")]
    [InlineData("--set", "operator.replica=2", "additional properties 'replica' not allowed")]
    [InlineData("--set", "replicas=2", "additional properties 'replicas' not allowed")]
    [InlineData("--set", "operator.replicas=2,operator.leaderElection=false", "/operator/leaderElection")]
    [InlineData("--set", "operator.replicas=0", "/operator/replicas")]
    [InlineData("--set", "agent.image.pullPolicy=Sometimes", "/agent/image/pullPolicy")]
    [InlineData("--set-string", "agent.oneJobPerDisk=yes", "/agent/oneJobPerDisk")]
    [InlineData("--set", "operator.logLevel=Verbose", "/operator/logLevel")]
    [InlineData("--set", "agent.tolerations[0].opertor=Exists", "additional properties 'opertor' not allowed")]
    [InlineData("--set", "agent.resources.requests.memory=lots", "/agent/resources/requests/memory")]
    [InlineData("--set", "crds.keep=maybe", "/crds/keep")]
    [InlineData("--set", "storage.capabilities.local.clone=maybe", "/storage/capabilities/local/clone")]
    [InlineData("--set", "storage.capabilities.local.clones=false", "additional properties 'clones' not allowed")]
    [InlineData("--set", "metrics.port=8080", "/metrics/port")]
    [InlineData("--set", "metrics.serviceMonitor.interval=often", "/metrics/serviceMonitor/interval")]
    [InlineData("--set", "metrics.serviceMonitor.enable=true", "additional properties 'enable' not allowed")]
    public void Schema_refuses_wrong_values(string flag, string value, string expected)
    {
        var result = Helm.Run("template", "imprint", Helm.Chart, flag, value);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Agent_kvm_value_maps_auto_to_no_setting_and_true_or_false_to_request_kvm()
    {
        static JsonElement Agent(params string[] args)
        {
            var configMap = Single(Helm.Template("imprint", "imprint-system", args), "ConfigMap");
            using var document = JsonDocument.Parse((string)configMap["data"]!["imprint.json"]!);
            return document.RootElement.GetProperty("Imprint").GetProperty("Agent").Clone();
        }

        Assert.False(Agent().TryGetProperty("RequestKvm", out _));
        Assert.False(Agent("--set", "agent.kvm=auto").TryGetProperty("RequestKvm", out _));
        Assert.True(Agent("--set", "agent.kvm=true").GetProperty("RequestKvm").GetBoolean());
        Assert.False(Agent("--set", "agent.kvm=false").GetProperty("RequestKvm").GetBoolean());
    }

    [Fact]
    public void Agent_one_job_per_disk_value_defaults_to_true_and_binds_to_the_operator_options()
    {
        static Imprint.Operator.Controllers.Configuration.ImprintOptions Options(params string[] args)
        {
            var configMap = Single(Helm.Template("imprint", "imprint-system", args), "ConfigMap");
            var configuration = new ConfigurationBuilder()
                .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes((string)configMap["data"]!["imprint.json"]!)))
                .Build();
            return Imprint.Operator.Controllers.Configuration.ImprintOptions.From(configuration);
        }

        Assert.True(ConfigJson("").GetProperty("Imprint").GetProperty("Agent").GetProperty("OneJobPerDisk").GetBoolean());
        Assert.False(ConfigJson(Everything).GetProperty("Imprint").GetProperty("Agent").GetProperty("OneJobPerDisk").GetBoolean());
        Assert.True(Options().Agent.OneJobPerDisk);
        Assert.False(Options("--set", "agent.oneJobPerDisk=false").Agent.OneJobPerDisk);
    }

    private static JsonElement ConfigJson(string values)
    {
        var configMap = Single(Render(values), "ConfigMap");
        using var document = JsonDocument.Parse((string)configMap["data"]!["imprint.json"]!);
        return document.RootElement.Clone();
    }

    private static void AssertGrants(JsonObject expectedRole, JsonObject renderedRole)
    {
        var granted = Permissions(renderedRole);
        var expected = Permissions(expectedRole);
        Assert.NotEmpty(expected);
        var missing = expected.Except(granted).ToList();
        Assert.True(missing.Count == 0, $"{renderedRole["kind"]} lacks: {string.Join(", ", missing)}");
    }

    // Every (apiGroup, resource, verb) a role grants.
    private static HashSet<string> Permissions(JsonObject role) =>
        [.. role["rules"]!.AsArray().SelectMany(rule =>
            from g in rule!["apiGroups"]!.AsArray()
            from r in rule["resources"]!.AsArray()
            from v in rule["verbs"]!.AsArray()
            select $"{(string)g!}/{(string)r!}:{(string)v!}")];

    private static Dictionary<string, JsonNode> Env(JsonNode container) =>
        container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);

    private static string Selector(JsonObject deployment) => deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString();

    private static JsonObject Single(IEnumerable<JsonObject> objects, string kind) => Assert.Single(objects, o => (string)o["kind"]! == kind);

    private static JsonObject LoadConfig(string path) =>
        YamlJson.ParseSingle(File.ReadAllText(Path.Combine(RepositoryPaths.Config, path)))!.AsObject();

    private static string AppVersion() =>
        (string)YamlJson.ParseSingle(File.ReadAllText(Path.Combine(Helm.Chart, "Chart.yaml")))!["appVersion"]!;
}
