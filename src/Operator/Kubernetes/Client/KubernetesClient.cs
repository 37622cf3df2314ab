using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>
/// <see cref="IKubernetesClient"/> on the official client (<see cref="k8s.Kubernetes"/>): every kind, built-in or
/// custom, goes through the generic custom-objects API addressed by its <c>[KubernetesEntity]</c> (group "" is the
/// core API), so one code path serves Jobs, Pods and our GoldenImages alike. Our kinds use their source-generated
/// contracts (<see cref="ImprintJsonContext"/>) inside the library's JSON settings; failures become
/// <see cref="KubernetesApiException"/> through <see cref="KubernetesErrors"/>; the HTTP pipeline adds retries and,
/// per attempt, spans and the request counter.
/// </summary>
public sealed partial class KubernetesClient : IKubernetesClient, IDisposable
{
    private readonly k8s.Kubernetes _api;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger _logger;
    private long _malformedWatchLines;

    /// <param name="timeProvider">The clock of retry delays (Retry-After, backoff); the system clock unless a test drives it.</param>
    public KubernetesClient(KubernetesClientConfiguration configuration, ILogger<KubernetesClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.AddJsonOptions(options =>
        {
            if (!options.IsReadOnly && !options.TypeInfoResolverChain.Contains(ImprintJsonContext.Default))
            {
                options.TypeInfoResolverChain.Insert(0, ImprintJsonContext.Default);
            }
        });
        _json = configuration.JsonSerializerOptions;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _api = new k8s.Kubernetes(configuration, new KubernetesRetryHandler(timeProvider: timeProvider), new KubernetesInstrumentationHandler());
    }

    /// <summary>The library's client, for the few calls the facade does not cover (tests install CRDs with it).</summary>
    public IKubernetes Api => _api;

    /// <summary>The JSON settings of every request and response: the library's, with our kinds' contracts first.</summary>
    internal JsonSerializerOptions JsonOptions => _json;

    /// <summary>Watch lines that were not watch events and were skipped.</summary>
    public long MalformedWatchLines => Interlocked.Read(ref _malformedWatchLines);

    public void Dispose() => _api.Dispose();

    public async Task<T?> GetAsync<T>(string name, string? ns, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var r = ResourceType.Of<T>();
        try
        {
            return string.IsNullOrEmpty(ns)
                ? await _api.CustomObjects.GetClusterCustomObjectAsync<T>(r.Group, r.Version, r.Plural, name, cancellationToken).ConfigureAwait(false)
                : await _api.CustomObjects.GetNamespacedCustomObjectAsync<T>(r.Group, r.Version, ns, r.Plural, name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Failure(e, "GET", r, ns, name, cancellationToken) is { } error)
        {
            return error is KubernetesApiException { IsNotFound: true } ? null : throw error;
        }
    }

    public Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var r = ResourceType.Of<T>();
        options ??= new ListOptions();
        return CallAsync("LIST", r, ns, null, cancellationToken, () => string.IsNullOrEmpty(ns)
            ? _api.CustomObjects.ListClusterCustomObjectAsync<KubernetesList<T>>(
                r.Group, r.Version, r.Plural, continueParameter: options.Continue, fieldSelector: options.FieldSelector, labelSelector: options.LabelSelector,
                limit: options.Limit, resourceVersion: options.ResourceVersion, cancellationToken: cancellationToken)
            : _api.CustomObjects.ListNamespacedCustomObjectAsync<KubernetesList<T>>(
                r.Group, r.Version, ns, r.Plural, continueParameter: options.Continue, fieldSelector: options.FieldSelector, labelSelector: options.LabelSelector,
                limit: options.Limit, resourceVersion: options.ResourceVersion, cancellationToken: cancellationToken));
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var r = ResourceType.Of<T>();
        var ns = obj.Metadata?.NamespaceProperty;
        return CallAsync("CREATE", r, ns, obj.Metadata?.Name, cancellationToken, () => string.IsNullOrEmpty(ns)
            ? _api.CustomObjects.CreateClusterCustomObjectAsync<T>(obj, r.Group, r.Version, r.Plural, cancellationToken: cancellationToken)
            : _api.CustomObjects.CreateNamespacedCustomObjectAsync<T>(obj, r.Group, r.Version, ns, r.Plural, cancellationToken: cancellationToken));
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (r, ns, name) = Address(obj);
        return CallAsync("UPDATE", r, ns, name, cancellationToken, () => string.IsNullOrEmpty(ns)
            ? _api.CustomObjects.ReplaceClusterCustomObjectAsync<T>(obj, r.Group, r.Version, r.Plural, name, cancellationToken: cancellationToken)
            : _api.CustomObjects.ReplaceNamespacedCustomObjectAsync<T>(obj, r.Group, r.Version, ns, r.Plural, name, cancellationToken: cancellationToken));
    }

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (r, ns, name) = Address(obj);
        return CallAsync("UPDATE", r, ns, name + "/status", cancellationToken, () => string.IsNullOrEmpty(ns)
            ? _api.CustomObjects.ReplaceClusterCustomObjectStatusAsync<T>(obj, r.Group, r.Version, r.Plural, name, cancellationToken: cancellationToken)
            : _api.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<T>(obj, r.Group, r.Version, ns, r.Plural, name, cancellationToken: cancellationToken));
    }

    public Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var r = ResourceType.Of<T>();
        var patch = MergePatch(mergePatch);
        return CallAsync("PATCH", r, ns, name, cancellationToken, () => string.IsNullOrEmpty(ns)
            ? _api.CustomObjects.PatchClusterCustomObjectAsync<T>(patch, r.Group, r.Version, r.Plural, name, cancellationToken: cancellationToken)
            : _api.CustomObjects.PatchNamespacedCustomObjectAsync<T>(patch, r.Group, r.Version, ns, r.Plural, name, cancellationToken: cancellationToken));
    }

    public Task<T> PatchStatusAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var r = ResourceType.Of<T>();
        var patch = MergePatch(mergePatch);
        return CallAsync("PATCH", r, ns, name + "/status", cancellationToken, () => string.IsNullOrEmpty(ns)
            ? _api.CustomObjects.PatchClusterCustomObjectStatusAsync<T>(patch, r.Group, r.Version, r.Plural, name, cancellationToken: cancellationToken)
            : _api.CustomObjects.PatchNamespacedCustomObjectStatusAsync<T>(patch, r.Group, r.Version, ns, r.Plural, name, cancellationToken: cancellationToken));
    }

    public async Task<bool> DeleteAsync<T>(string name, string? ns, PropagationPolicy propagation = PropagationPolicy.Background, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var r = ResourceType.Of<T>();
        var options = new V1DeleteOptions { PropagationPolicy = propagation.ToString() };
        try
        {
            _ = string.IsNullOrEmpty(ns)
                ? await _api.CustomObjects.DeleteClusterCustomObjectAsync(r.Group, r.Version, r.Plural, name, options, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await _api.CustomObjects.DeleteNamespacedCustomObjectAsync(r.Group, r.Version, ns, r.Plural, name, options, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (Failure(e, "DELETE", r, ns, name, cancellationToken) is { } error)
        {
            return error is KubernetesApiException { IsNotFound: true } ? false : throw error;
        }
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(
        string? ns, ListOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(options);
        var r = ResourceType.Of<T>();
        KubernetesException? errorEvent = null;
        void OnError(Exception e)
        {
            if (e is KubernetesException status)
            {
                // An ERROR event (410 Gone after a compaction, or another Status): ends this connection.
                errorEvent ??= status;
            }
            else
            {
                SkipMalformedLine(r, e);
            }
        }

        var events = string.IsNullOrEmpty(ns)
            ? _api.CustomObjects.WatchListClusterCustomObjectAsync(
                r.Group, r.Version, r.Plural, allowWatchBookmarks: options.AllowWatchBookmarks, fieldSelector: options.FieldSelector,
                labelSelector: options.LabelSelector, resourceVersion: options.ResourceVersion, timeoutSeconds: options.TimeoutSeconds,
                onError: OnError, cancellationToken: cancellationToken)
            : _api.CustomObjects.WatchListNamespacedCustomObjectAsync(
                r.Group, r.Version, ns, r.Plural, allowWatchBookmarks: options.AllowWatchBookmarks, fieldSelector: options.FieldSelector,
                labelSelector: options.LabelSelector, resourceVersion: options.ResourceVersion, timeoutSeconds: options.TimeoutSeconds,
                onError: OnError, cancellationToken: cancellationToken);
        var enumerator = events.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (Failure(e, "WATCH", r, ns, null, cancellationToken) is { } error)
                {
                    throw error;
                }

                if (errorEvent is not null)
                {
                    throw KubernetesErrors.FromStatus(errorEvent.Status, What("WATCH", r, ns, null));
                }

                if (!more)
                {
                    yield break;
                }

                var (type, raw) = enumerator.Current;
                if (raw is JsonElement element && Convert<T>(r, element) is { } obj)
                {
                    yield return (type, obj);
                }
            }
        }
    }

    public async Task<string> ReadPodLogAsync(string name, string ns, string? container = null, int? tailLines = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var stream = await _api.CoreV1.ReadNamespacedPodLogAsync(name, ns, container: container, tailLines: tailLines, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream);
                return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (Failure(e, "GET", ResourceType.Of<V1Pod>(), ns, name + "/log", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    private static (ResourceType Resource, string? Namespace, string Name) Address<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var r = ResourceType.Of<T>();
        var name = obj.Metadata?.Name;
        return string.IsNullOrEmpty(name)
            ? throw new ArgumentException($"A {r.Kind} needs metadata.name to be replaced.", nameof(obj))
            : (r, obj.Metadata!.NamespaceProperty, name);
    }

    private static V1Patch MergePatch(JsonNode mergePatch)
    {
        ArgumentNullException.ThrowIfNull(mergePatch);
        return new V1Patch(mergePatch.ToJsonString(), V1Patch.PatchType.MergePatch);
    }

    private static string What(string verb, ResourceType r, string? ns, string? name) =>
        $"{verb} {r.Plural}{(string.IsNullOrEmpty(ns) ? string.Empty : $" in {ns}")}{(name is null ? string.Empty : $" {name}")}";

    /// <summary>Our exception for a failed call; a timeout of the library's own request deadline becomes a <see cref="TimeoutException"/>.</summary>
    private static Exception? Failure(Exception e, string verb, ResourceType r, string? ns, string? name, CancellationToken cancellationToken) =>
        e is OperationCanceledException && !cancellationToken.IsCancellationRequested
            ? new TimeoutException($"{What(verb, r, ns, name)} got no answer in time.", e)
            : KubernetesErrors.Map(e, What(verb, r, ns, name));

    private static async Task<TResult> CallAsync<TResult>(
        string verb, ResourceType r, string? ns, string? name, CancellationToken cancellationToken, Func<Task<TResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (Failure(e, verb, r, ns, name, cancellationToken) is { } error)
        {
            throw error;
        }
    }

    private T? Convert<T>(ResourceType r, JsonElement element)
        where T : class
    {
        try
        {
            return element.Deserialize<T>(_json);
        }
        catch (JsonException e)
        {
            SkipMalformedLine(r, e);
            return null;
        }
    }

    private void SkipMalformedLine(ResourceType r, Exception e)
    {
        LogMalformedLine(_logger, r.Plural, e.Message);
        Interlocked.Increment(ref _malformedWatchLines);
        KubernetesInstrumentation.CountMalformedWatchLine(r.Plural);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a malformed watch line of {Resource}: {Problem}")]
    private static partial void LogMalformedLine(ILogger logger, string resource, string problem);
}
