using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Test-side controls: direct store access, watch history, faults and request log.</summary>
public sealed partial class FakeKubeApiServer
{
    public IReadOnlyList<RequestRecord> Requests
    {
        get
        {
            lock (_requestsGate)
                return _requests.ToArray();
        }
    }

    /// <summary>
    /// Waits until the simulated controllers (garbage collector, namespace controller, PVC protection) have caught up
    /// with every write so far: their work is asynchronous, as on a real cluster.
    /// </summary>
    public Task SettleAsync() => _controllers.SettleAsync();

    /// <summary>Binds a pod to a node as the scheduler does through <c>pods/binding</c>; a pod already bound is a 409.</summary>
    public JsonObject BindPod(string ns, string name, string node) => _store.BindPod(KindOf("v1", "pods"), ns, name, node);

    /// <summary>
    /// Requests bearing <paramref name="token"/> act as <paramref name="user"/> and are allowed only what the given
    /// ClusterRole and Role documents grant (a Role in its own namespace); others get 403 Forbidden as from a real
    /// server. Requests without a token stay unrestricted.
    /// </summary>
    public void AuthorizeToken(string token, string user, IEnumerable<JsonObject> roles) => _rbac.Register(token, user, roles);

    public void ResetRequests()
    {
        lock (_requestsGate)
            _requests.Clear();
    }

    /// <summary>Answers the next <paramref name="count"/> matching requests with a Status error (Retry-After in whole seconds).</summary>
    public void FailNext(Func<HttpRequest, bool> match, int statusCode, int count = 1, TimeSpan? retryAfter = null) =>
        _faults.Add(new FaultRule(match, statusCode, count, retryAfter));

    /// <summary>Forgets the watch history: watches from any older resourceVersion now get 410 Expired.</summary>
    public void CompactHistory() => _store.CompactHistory();

    /// <summary>Writes a raw line (e.g. malformed JSON) to every open watch.</summary>
    public void InjectWatchLine(string raw) => _store.InjectLine(raw);

    public void SetPodLog(string ns, string name, string text) => _podLogs[(ns, name)] = text;

    public JsonObject? Get(string apiVersion, string plural, string? ns, string name)
    {
        try
        {
            return _store.Get(KindOf(apiVersion, plural), ns, name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>All objects of a kind, in one namespace or (null) everywhere, ordered by namespace/name.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string plural, string? ns = null) =>
        _store.Snapshot(KindOf(apiVersion, plural), ns);

    /// <summary>Creates or replaces an object as given (status included), bypassing admission; bumps resourceVersion and emits events.</summary>
    public JsonObject Put(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? throw new ArgumentException("object has no apiVersion", nameof(obj));
        var kindName = (string?)obj["kind"] ?? throw new ArgumentException("object has no kind", nameof(obj));
        var kind = _registry.FindByKind(apiVersion, kindName) ?? throw new ArgumentException($"no resource serves {apiVersion} {kindName}", nameof(obj));
        return _store.PutDirect(kind, obj);
    }

    /// <summary>
    /// Merge-patches an object in process exactly as <c>PATCH</c> over HTTP would (admission, <c>/status</c> rules, a
    /// <c>metadata.resourceVersion</c> precondition), without a request in <see cref="Requests"/> and without consuming
    /// <see cref="FailNext"/> faults: for simulated controllers that must not lose concurrent writes. Null when the
    /// object does not exist.
    /// </summary>
    public JsonObject? Patch(string apiVersion, string plural, string? ns, string name, JsonObject patch, string? subresource = null)
    {
        try
        {
            return _store.Patch(KindOf(apiVersion, plural), ns, name, current => MergePatch.Apply(current, patch) as JsonObject ?? current, subresource);
        }
        catch (ApiException e) when (e.Code == 404 && e.Reason == "NotFound" && e.Details is not null)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates an object in process exactly as <c>POST</c> would (admission, schema validation, defaults, the PVC
    /// protection finalizer), for simulated controllers; null with the Status message a client would get when the
    /// server refuses it. Like <see cref="Patch"/> it is not recorded in <see cref="Requests"/> and consumes no faults.
    /// </summary>
    public JsonObject? TryCreate(JsonObject obj, out string? error)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? throw new ArgumentException("object has no apiVersion", nameof(obj));
        var kindName = (string?)obj["kind"] ?? throw new ArgumentException("object has no kind", nameof(obj));
        var kind = _registry.FindByKind(apiVersion, kindName) ?? throw new ArgumentException($"no resource serves {apiVersion} {kindName}", nameof(obj));
        try
        {
            error = null;
            return _store.Create(kind, (string?)obj["metadata"]?["namespace"], obj);
        }
        catch (ApiException e)
        {
            error = $"{e.Reason}: {e.Message}";
            return null;
        }
    }

    /// <summary>Whether a resource is served now (a built-in kind, or a CustomResourceDefinition that exists).</summary>
    public bool Serves(string apiVersion, string plural) => _registry.FindByApiVersion(apiVersion, plural) is not null;

    /// <summary>Removes an object at once, ignoring finalizers and dependents; a missing object is not an error.</summary>
    public void Delete(string apiVersion, string plural, string? ns, string name) =>
        _store.DeleteDirect(KindOf(apiVersion, plural), ns, name);

    private ResourceKind KindOf(string apiVersion, string plural) =>
        _registry.FindByApiVersion(apiVersion, plural) ?? throw new ArgumentException($"no resource {plural} in {apiVersion}", nameof(plural));
}
