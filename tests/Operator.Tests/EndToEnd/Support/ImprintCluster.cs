using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Hosting;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;
using Imprint.Testing.NodeSimulator;
using Imprint.Testing.NodeSimulator.KubeVirt;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>
/// The whole product in one process: the fake API server with the generated CRDs, the node simulator running the
/// real agent for every Job, and the operator host (controllers, finalizers, real HTTP client) on short timers.
/// </summary>
public sealed class ImprintCluster : IAsyncDisposable
{
    /// <summary>The bearer token the operator host presents: the fake holds it to the roles in config/rbac.</summary>
    public const string OperatorToken = "imprint-operator-e2e";

    /// <summary>The service account the operator token stands for (in the fake's request log and 403 messages).</summary>
    public const string OperatorUser = "system:serviceaccount:imprint-system:imprint-operator";

    private readonly IHost _host;
    private readonly ConcurrentQueue<ObjectChange> _changes;
    private readonly KubernetesClient _operatorClient;
    private KubeVirtSimulator? _kubeVirt;

    private ImprintCluster(FakeKubeApiServer server, NodeSimulator simulator, IHost host, KubernetesClient client, KubernetesClient operatorClient, string root, CapturedLogs logs, ConcurrentQueue<ObjectChange> changes)
    {
        _operatorClient = operatorClient;
        Server = server;
        Simulator = simulator;
        _host = host;
        Client = client;
        Root = root;
        Logs = logs;
        _changes = changes;
    }

    public FakeKubeApiServer Server { get; }

    public NodeSimulator Simulator { get; }

    public KubernetesClient Client { get; }

    public string Root { get; }

    /// <summary>What the operator host logged, at Debug and up.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>Every committed write to the fake API server since the start, in order (so a test sees states that did not last).</summary>
    public IReadOnlyList<ObjectChange> Changes => [.. _changes];

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>KubeVirt's and CDI's simulated controllers, once <see cref="StartKubeVirt"/> ran.</summary>
    public KubeVirtSimulator? KubeVirt => _kubeVirt;

    /// <param name="time">The operator's clock (e.g. a <see cref="ShiftedClock"/>); the system clock when null.</param>
    public static async Task<ImprintCluster> StartAsync(Action<ImprintOptions>? configure = null, TimeProvider? time = null)
    {
        var root = Directory.CreateTempSubdirectory("imprint-e2e-").FullName;
        var server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
        var changes = new ConcurrentQueue<ObjectChange>();
        server.Changed += (_, change) => changes.Enqueue(change);
        var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        // The operator runs with its own identity, so a verb missing from the generated RBAC fails here as on a cluster.
        server.AuthorizeToken(OperatorToken, OperatorUser,
            [.. Directory.GetFiles(Path.Combine(RepoRoot, "config", "rbac"), "*role.yaml").SelectMany(f => YamlJson.ParseDocuments(File.ReadAllText(f))).OfType<JsonObject>()]);
        var operatorClient = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString(), AccessToken = OperatorToken });
        foreach (var crd in Directory.GetFiles(Path.Combine(RepoRoot, "config", "crd"), "imprint.dev_*.yaml").Order(StringComparer.Ordinal))
        {
            await client.CreateRawAsync(CrdResource, YamlJson.ParseSingle(await File.ReadAllTextAsync(crd))!.AsObject());
        }

        var simulator = await NodeSimulator.StartAsync(server, new NodeSimulatorOptions
        {
            Root = Path.Combine(root, "node"),
            Configuration = NodeSimulatorOptions.ConfigurationOf(typeof(ImprintCluster).Assembly),
        });

        var options = new ImprintOptions
        {
            LeaderElection = false,
            Agent = new AgentOptions { ProgressIntervalSeconds = 1, RetryBackoffSeconds = 1, RetryBackoffMaxSeconds = 2, MaxRetries = 2 },
            Clone = new CloneOptions { CsiCloneTimeoutSeconds = 4, GoldenImagePollSeconds = 1, PvcPollSeconds = 1, PublishRecheckSeconds = 1 },
        };
        configure?.Invoke(options);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        if (Environment.GetEnvironmentVariable("IMPRINT_E2E_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.AddSingleton<IKubernetesClient>(operatorClient);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        builder.Services.AddImprintOperator(o =>
            {
                o.LeaderElection = false;
                o.ControllerDefaults = o.ControllerDefaults with { BackoffBase = TimeSpan.FromMilliseconds(200), BackoffMax = TimeSpan.FromSeconds(2) };
            })
            .AddImprintControllers(options);
        var host = builder.Build();
        await host.StartAsync();
        return new ImprintCluster(server, simulator, host, client, operatorClient, root, logs, changes);
    }

    /// <summary>Creates every document of a YAML file (e.g. a sample), after <paramref name="edit"/>, in <paramref name="ns"/>.</summary>
    public async Task<IReadOnlyList<JsonObject>> ApplyAsync(string yamlPath, string ns, Action<JsonObject>? edit = null)
    {
        var created = new List<JsonObject>();
        foreach (var document in YamlJson.ParseDocuments(await File.ReadAllTextAsync(yamlPath)).OfType<JsonObject>())
        {
            edit?.Invoke(document);
            document["metadata"]!["namespace"] ??= ns;
            created.Add(await CreateAsync(document));
        }

        return created;
    }

    /// <summary>Creates one object (GoldenImage, VmClone, Secret or ConfigMap) as kubectl create would.</summary>
    public async Task<JsonObject> CreateAsync(JsonObject document)
    {
        var apiVersion = (string)document["apiVersion"]!;
        var kind = (string)document["kind"]!;
        var resource = kind switch
        {
            "GoldenImage" => ResourceType.Of<V1Alpha1GoldenImage>(),
            "VmClone" => ResourceType.Of<V1Alpha1VmClone>(),
            "CloneTemplate" => ResourceType.Of<V1Alpha1CloneTemplate>(),
            "PersistentVolumeClaim" => ResourceType.Of<k8s.Models.V1PersistentVolumeClaim>(),
            "VolumePopulator" => new ResourceType("populator.storage.k8s.io", "v1beta1", "VolumePopulator", "volumepopulators"),
            "Secret" => ResourceType.Of<k8s.Models.V1Secret>(),
            "ConfigMap" => ResourceType.Of<k8s.Models.V1ConfigMap>(),
            _ => throw new InvalidOperationException($"the e2e harness does not apply {apiVersion} {kind}"),
        };
        if (kind == "Secret" && document["stringData"] is JsonObject stringData)
        {
            // The API server turns stringData into data on write; the fake stores what it is given.
            var data = document["data"] as JsonObject ?? [];
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((string)value!));
            }

            document.Remove("stringData");
            document["data"] = data;
        }

        return await Client.CreateRawAsync(resource, document);
    }

    /// <summary>
    /// A GoldenImage built from the sample disk through the real phases: the disk seeded into PVC &lt;name&gt;-source,
    /// then imported (convert), inspected and sealed by the agent. Waits until it is Ready.
    /// </summary>
    public async Task<V1Alpha1GoldenImage> ReadyGoldenImageAsync(string ns, string name, Action<JsonObject>? edit = null)
    {
        var images = await SampleImages.GetAsync();
        Simulator.SeedPvc(ns, name + "-source", images.RawPath);
        var golden = E2eObjects.GoldenImageFromPvc(ns, name, name + "-source");
        edit?.Invoke(golden);
        await CreateAsync(golden);
        return await WaitForGoldenImageAsync(name, ns, GoldenImagePhase.Ready);
    }

    /// <summary>
    /// Installs KubeVirt's definitions (and CDI's unless <paramref name="cdi"/> is false) and starts their simulated
    /// controllers, stopped with the cluster. Without it the cluster has neither, as one without KubeVirt.
    /// </summary>
    public KubeVirtSimulator StartKubeVirt(bool cdi = true)
    {
        KubeVirtCrds.InstallKubeVirt(Server);
        if (cdi)
        {
            KubeVirtCrds.InstallCdi(Server);
        }

        return _kubeVirt ??= KubeVirtSimulator.Start(Server);
    }

    /// <summary>Creates any object (a DataVolume, a VirtualMachinePool, …) by its apiVersion, kind and <paramref name="plural"/>.</summary>
    public Task<JsonObject> CreateRawAsync(string plural, JsonObject document)
    {
        var apiVersion = (string)document["apiVersion"]!;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var resource = new ResourceType(slash < 0 ? "" : apiVersion[..slash], apiVersion[(slash + 1)..], (string)document["kind"]!, plural);
        return Client.CreateRawAsync(resource, document);
    }

    /// <summary>Every stored version of one object, oldest first (from <see cref="Changes"/>; the last may be its deletion).</summary>
    public IReadOnlyList<ObjectChange> History(string kind, string ns, string name) =>
        [.. Changes.Where(c => (string?)c.Object["kind"] == kind && (string?)c.Object["metadata"]?["namespace"] == ns && (string?)c.Object["metadata"]?["name"] == name)];

    /// <summary>Reconcile passes the operator's VmClone controller has finished so far (every key, any result).</summary>
    public long VmCloneReconciles =>
        _host.Services.GetRequiredService<ControllerManager>().Runners.OfType<EntityControllerRunner<V1Alpha1VmClone>>().Single().Reconciled;

    public Task<V1Alpha1GoldenImage?> GoldenImageAsync(string name, string ns) => Client.GetAsync<V1Alpha1GoldenImage>(name, ns);

    public Task<V1Alpha1VmClone?> VmCloneAsync(string name, string ns) => Client.GetAsync<V1Alpha1VmClone>(name, ns);

    /// <summary>Polls until <paramref name="done"/> holds; fails with the last value seen and the simulator's errors.</summary>
    public async Task<T> WaitForAsync<T>(Func<Task<T?>> read, Func<T, bool> done, string what, double seconds = 90)
        where T : class
    {
        var stopwatch = Stopwatch.StartNew();
        T? last = null;
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = await read();
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        var shown = last switch
        {
            V1Alpha1GoldenImage g => System.Text.Json.JsonSerializer.Serialize(g.Status, Imprint.Operator.Apis.ImprintJsonContext.Default.GoldenImageStatus),
            V1Alpha1VmClone c => System.Text.Json.JsonSerializer.Serialize(c.Status, Imprint.Operator.Apis.ImprintJsonContext.Default.VmCloneStatus),
            _ => last?.ToString() ?? "nothing",
        };
        throw new TimeoutException($"{what} not reached in {seconds} s; last: {shown}; simulator errors: {string.Join(" | ", Simulator.Errors)}");
    }

    public Task<V1Alpha1GoldenImage> WaitForGoldenImageAsync(string name, string ns, GoldenImagePhase phase, double seconds = 90) =>
        WaitForAsync(() => GoldenImageAsync(name, ns), g => g.Status?.Phase == phase, $"GoldenImage {ns}/{name} {phase}", seconds);

    public Task<V1Alpha1VmClone> WaitForVmCloneAsync(string name, string ns, VmClonePhase phase, double seconds = 90) =>
        WaitForAsync(() => VmCloneAsync(name, ns), c => c.Status?.Phase == phase, $"VmClone {ns}/{name} {phase}", seconds);

    public IReadOnlyList<JsonObject> Events(string ns, string involvedName) =>
        [.. Server.List("events.k8s.io/v1", "events", ns).Where(e => (string?)e["regarding"]?["name"] == involvedName)];

    public async ValueTask DisposeAsync()
    {
        // A verb missing from config/rbac may be swallowed by a retry loop; the test still fails for it here.
        var forbidden = Server.Requests.Where(r => r.User == OperatorUser && r.StatusCode == 403).ToList();
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
        var kubeVirtErrors = _kubeVirt?.Errors ?? [];
        if (_kubeVirt is not null)
        {
            await _kubeVirt.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        Client.Dispose();
        _operatorClient.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process the simulator killed may still hold a file for a moment; the temp folder is cleaned later.
        }

        if (kubeVirtErrors.Count > 0)
        {
            throw new InvalidOperationException("the KubeVirt simulator failed: " + string.Join(" | ", kubeVirtErrors));
        }

        if (forbidden.Count > 0)
        {
            throw new InvalidOperationException("the operator was refused by RBAC (config/rbac lacks a verb): "
                + string.Join("; ", forbidden.Select(r => $"{r.Method} {r.Path}{r.Query}")));
        }
    }

    private static readonly ResourceType CrdResource = RawObjects.CustomResourceDefinitions;

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Operator.sln not found above the test folder");
    }
}
