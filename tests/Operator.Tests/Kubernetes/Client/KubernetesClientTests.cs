using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Tests.Kubernetes.Support;
using Imprint.Operator.Tests.Runtime.Support;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Imprint.Operator.Tests.Kubernetes.Client;

public sealed class KubernetesClientTests
{
    private const string ConfigMapJson = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"ns","resourceVersion":"7"},"data":{"k":"v"}}""";

    private static KubernetesClient ClientFor(KestrelApiStub stub, TimeProvider? time = null) =>
        new(new KubernetesClientConfiguration { Host = stub.BaseAddress.ToString(), AccessToken = "t0ken" }, timeProvider: time);

    [Theory]
    [InlineData("Sat, 05 Dec 2026 20:00:07 GMT", 7)]
    [InlineData("Sat, 05 Dec 2026 19:59:00 GMT", 0)]
    [InlineData("Sat, 05 Dec 2026 21:00:00 GMT", 30)]
    [InlineData("12", 12)]
    public void Retry_after_as_a_date_is_read_against_the_callers_clock_and_capped(string header, int expectedSeconds)
    {
        var now = new DateTimeOffset(2026, 12, 5, 20, 0, 0, TimeSpan.Zero);
        var headers = new Dictionary<string, IEnumerable<string>> { ["Retry-After"] = [header] };

        var delay = KubernetesErrors.RetryAfter(headers, now);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public async Task Crud_round_trip_uses_the_right_verbs_paths_and_content_types()
    {
        await using var stub = await KestrelApiStub.StartAsync((context, request) =>
            PathOf(request.PathAndQuery).EndsWith("/log", StringComparison.Ordinal)
                ? context.Response.WriteAsync("line 1\nline 2\n")
                : request.Method == "GET" && request.PathAndQuery.StartsWith("/api/v1/namespaces/ns/configmaps?", StringComparison.Ordinal)
                    ? KestrelApiStub.WriteJsonAsync(context, 200, $$"""{"kind":"ConfigMapList","metadata":{"resourceVersion":"9","continue":"next"},"items":[{{ConfigMapJson}}]}""")
                    : request.Method == "DELETE"
                        ? KestrelApiStub.WriteJsonAsync(context, 200, """{"kind":"Status","status":"Success"}""")
                        : KestrelApiStub.WriteJsonAsync(context, request.Method == "POST" ? 201 : 200, ConfigMapJson));
        using var client = ClientFor(stub);
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = "ns" }, Data = new Dictionary<string, string> { ["k"] = "v" } };
        var patch = new JsonObject { ["data"] = new JsonObject { ["k"] = "w" } };

        var created = await client.CreateAsync(configMap);
        var read = await client.GetAsync<V1ConfigMap>("cm", "ns");
        var list = await client.ListAsync<V1ConfigMap>("ns", new ListOptions { LabelSelector = "app=imprint", FieldSelector = "metadata.name=cm", Limit = 5, Continue = "tok", ResourceVersion = "3" });
        await client.ReplaceAsync(created);
        await client.ReplaceStatusAsync(created);
        await client.PatchAsync<V1ConfigMap>("cm", "ns", patch);
        await client.PatchStatusAsync<V1ConfigMap>("cm", "ns", patch);
        var deleted = await client.DeleteAsync<V1ConfigMap>("cm", "ns", PropagationPolicy.Foreground);
        var log = await client.ReadPodLogAsync("p", "ns", "agent", 20);

        Assert.Equal("7", created.Metadata.ResourceVersion);
        Assert.Equal("v", read!.Data!["k"]);
        Assert.Equal("next", list.Metadata.ContinueProperty);
        Assert.Equal("cm", Assert.Single(list.Items).Metadata.Name);
        Assert.True(deleted);
        Assert.Equal("line 1\nline 2\n", log);
        var requests = stub.Requests.ToArray();
        Assert.Equal(
            [
                "POST /api/v1/namespaces/ns/configmaps",
                "GET /api/v1/namespaces/ns/configmaps/cm",
                "GET /api/v1/namespaces/ns/configmaps",
                "PUT /api/v1/namespaces/ns/configmaps/cm",
                "PUT /api/v1/namespaces/ns/configmaps/cm/status",
                "PATCH /api/v1/namespaces/ns/configmaps/cm",
                "PATCH /api/v1/namespaces/ns/configmaps/cm/status",
                "DELETE /api/v1/namespaces/ns/configmaps/cm",
                "GET /api/v1/namespaces/ns/pods/p/log",
            ],
            requests.Select(r => $"{r.Method} {PathOf(r.PathAndQuery)}"));
        var listQuery = Query(requests[2].PathAndQuery);
        Assert.Equal(
            new Dictionary<string, string> { ["limit"] = "5", ["continue"] = "tok", ["labelSelector"] = "app=imprint", ["fieldSelector"] = "metadata.name=cm", ["resourceVersion"] = "3" },
            listQuery.Where(q => q.Key is "limit" or "continue" or "labelSelector" or "fieldSelector" or "resourceVersion").ToDictionary());
        Assert.NotEqual("true", listQuery.GetValueOrDefault("watch"));
        Assert.Equal(new Dictionary<string, string> { ["tailLines"] = "20", ["container"] = "agent" }, Query(requests[8].PathAndQuery));
        Assert.StartsWith("application/json", requests[0].ContentType, StringComparison.Ordinal);
        Assert.Equal("v", (string?)JsonNode.Parse(requests[0].Body)!["data"]!["k"]);
        Assert.Null(JsonNode.Parse(requests[0].Body)!["status"]);
        Assert.StartsWith("application/merge-patch+json", requests[5].ContentType, StringComparison.Ordinal);
        Assert.Equal("w", (string?)JsonNode.Parse(requests[5].Body)!["data"]!["k"]);
        Assert.Equal("Foreground", (string?)JsonNode.Parse(requests[7].Body)!["propagationPolicy"]);
        Assert.All(requests, r => Assert.Equal("Bearer t0ken", r.Authorization));
    }

    [Fact]
    public async Task Missing_objects_are_null_on_get_and_false_on_delete()
    {
        await using var stub = await KestrelApiStub.StartAsync((context, _) =>
            KestrelApiStub.WriteJsonAsync(context, 404, KestrelApiStub.Status(404, "NotFound", "configmaps \\\"cm\\\" not found")));
        using var client = ClientFor(stub);

        Assert.Null(await client.GetAsync<V1ConfigMap>("cm", "ns"));
        Assert.False(await client.DeleteAsync<V1ConfigMap>("cm", "ns"));
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.PatchAsync<V1ConfigMap>("cm", "ns", new JsonObject()));
        Assert.True(error.IsNotFound);
        Assert.Equal(2 + 1, stub.Requests.Count);
    }

    [Fact]
    public async Task Conflict_and_invalid_map_reason_message_and_field_causes()
    {
        await using var stub = await KestrelApiStub.StartAsync((context, request) => request.Method == "PUT"
            ? KestrelApiStub.WriteJsonAsync(context, 409, KestrelApiStub.Status(409, "Conflict", "the object has been modified"))
            : KestrelApiStub.WriteJsonAsync(context, 422, KestrelApiStub.Status(422, "Invalid", "Job is invalid",
                """[{"reason":"FieldValueRequired","message":"Required value","field":"spec.template.spec.containers"},{"reason":"FieldValueInvalid","message":"must be no more than 63 characters","field":"metadata.name"}]""")));
        using var client = ClientFor(stub);
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "j", NamespaceProperty = "ns", ResourceVersion = "1" } };

        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ReplaceAsync(job));
        var invalid = await Assert.ThrowsAsync<KubernetesApiException>(() => client.CreateAsync(job));

        Assert.True(conflict.IsConflict);
        Assert.Equal("Conflict", conflict.Reason);
        Assert.Contains("the object has been modified", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Equal("Invalid", invalid.Reason);
        Assert.Equal(["spec.template.spec.containers: Required value", "metadata.name: must be no more than 63 characters"], invalid.Causes);
        Assert.Equal(["PUT /apis/batch/v1/namespaces/ns/jobs/j", "POST /apis/batch/v1/namespaces/ns/jobs"], stub.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_retry_after_delay()
    {
        var calls = 0;
        await using var stub = await KestrelApiStub.StartAsync((context, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return KestrelApiStub.WriteJsonAsync(context, 429, KestrelApiStub.Status(429, "TooManyRequests", "slow down"));
            }

            return KestrelApiStub.WriteJsonAsync(context, 201, ConfigMapJson);
        });
        var clock = new FakeClock();
        using var client = ClientFor(stub, clock);

        // A POST too: a 429 is refused before the server acts on it.
        var creating = client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = "ns" } });
        await clock.ArmedAsync(TimeSpan.FromSeconds(1));
        var beforeRetryAfter = stub.Requests.Count;
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(creating.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var created = await creating.WaitAsync(TimeSpan.FromSeconds(20));

        // The retry waited on the server's Retry-After (the only timer armed), not on a backoff of its own.
        Assert.Equal("cm", created.Metadata.Name);
        Assert.Equal(1, beforeRetryAfter);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.ArmedDueTimes());
    }

    [Fact]
    public async Task Post_is_not_retried_after_a_server_error_but_get_is()
    {
        var gets = 0;
        await using var stub = await KestrelApiStub.StartAsync((context, request) =>
            request.Method == "GET" && Interlocked.Increment(ref gets) >= 3
                ? KestrelApiStub.WriteJsonAsync(context, 200, ConfigMapJson)
                : KestrelApiStub.WriteJsonAsync(context, 500, KestrelApiStub.Status(500, "InternalError", "etcd timeout")));
        using var client = ClientFor(stub);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = "ns" } }));
        var read = await client.GetAsync<V1ConfigMap>("cm", "ns");

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("InternalError", error.Reason);
        Assert.NotNull(read);
        Assert.Equal(["POST", "GET", "GET", "GET"], stub.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Watch_yields_added_bookmark_and_modified_and_skips_a_malformed_line()
    {
        await using var stub = await KestrelApiStub.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                "{\"type\":\"ADDED\",\"object\":" + ConfigMapJson + "}\n"
                + "this is not json\n"
                + """{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"12"}}}""" + "\n\n"
                + "{\"type\":\"MODIFIED\",\"object\":" + ConfigMapJson.Replace("\"7\"", "\"13\"", StringComparison.Ordinal) + "}\n");
        });
        using var client = ClientFor(stub);

        var events = new List<(WatchEventType Type, V1ConfigMap Object)>();
        await foreach (var watchEvent in client.WatchAsync<V1ConfigMap>("ns", new ListOptions { ResourceVersion = "5", TimeoutSeconds = 60, LabelSelector = "a=b" }))
        {
            events.Add(watchEvent);
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Bookmark, WatchEventType.Modified], events.Select(e => e.Type));
        Assert.Equal("12", events[1].Object.Metadata.ResourceVersion);
        Assert.Equal("13", events[2].Object.Metadata.ResourceVersion);
        // The text line and the blank line are both skipped (and counted), neither ends the watch.
        Assert.Equal(2, client.MalformedWatchLines);
        var watch = Assert.Single(stub.Requests).PathAndQuery;
        Assert.Equal("/api/v1/namespaces/ns/configmaps", PathOf(watch));
        Assert.Equal(
            new Dictionary<string, string> { ["watch"] = "true", ["allowWatchBookmarks"] = "true", ["timeoutSeconds"] = "60", ["labelSelector"] = "a=b", ["resourceVersion"] = "5" },
            Query(watch));
    }

    [Fact]
    public async Task Watch_error_event_with_410_throws_gone_after_earlier_events()
    {
        await using var stub = await KestrelApiStub.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                "{\"type\":\"ADDED\",\"object\":" + ConfigMapJson + "}\n"
                + """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (10)","reason":"Expired","code":410}}""" + "\n");
        });
        using var client = ClientFor(stub);
        var seen = new List<WatchEventType>();

        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var watchEvent in client.WatchAsync<V1ConfigMap>("ns", new ListOptions { ResourceVersion = "5" }))
            {
                seen.Add(watchEvent.Type);
            }
        });

        Assert.Equal([WatchEventType.Added], seen);
        Assert.True(error.IsGone);
        Assert.Equal("Expired", error.Reason);
        Assert.Contains("too old resource version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_answered_with_http_410_throws_gone()
    {
        await using var stub = await KestrelApiStub.StartAsync((context, _) =>
            KestrelApiStub.WriteJsonAsync(context, 410, KestrelApiStub.Status(410, "Gone", "too old")));
        using var client = ClientFor(stub);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var unused in client.WatchAsync<V1Pod>(null, new ListOptions()))
            {
                Assert.Fail($"no event expected, got {unused.Type}");
            }
        });

        Assert.True(error.IsGone);
        var watch = Assert.Single(stub.Requests).PathAndQuery;
        Assert.Equal("/api/v1/pods", PathOf(watch));
        Assert.Equal(new Dictionary<string, string> { ["watch"] = "true", ["allowWatchBookmarks"] = "true" }, Query(watch));
    }

    [Fact]
    public async Task Every_call_is_traced_and_counted_by_verb_and_code()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KubernetesInstrumentation.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        var counts = new List<(long Value, string Tags)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KubernetesInstrumentation.MeterName && instrument.Name == KubernetesInstrumentation.RequestCounterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var text = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            lock (counts) { counts.Add((value, text)); }
        });
        meters.Start();
        await using var stub = await KestrelApiStub.StartAsync((context, _) => KestrelApiStub.WriteJsonAsync(context, 404, KestrelApiStub.Status(404, "NotFound", "nope")));
        using var client = ClientFor(stub);

        await client.GetAsync<V1Namespace>("does-not-exist-" + Guid.NewGuid(), null);
        await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync<V1Pod>("ns"));
        await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var unused in client.WatchAsync<V1Pod>("ns", new ListOptions()))
            {
                Assert.Fail($"no event expected, got {unused.Type}");
            }
        });

        var span = Assert.Single(spans, s => ((string?)s.GetTagItem("url.path"))?.Contains("does-not-exist-", StringComparison.Ordinal) == true);
        Assert.Equal("GET namespaces", span.DisplayName);
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
        var server = stub.BaseAddress;
        Assert.Contains(counts, c => c.Value == 1 && c.Tags == $"verb=GET,code=404,server.address={server.Host},server.port={server.Port}");
        Assert.Contains(counts, c => c.Tags.StartsWith("verb=LIST,code=404,", StringComparison.Ordinal));
        Assert.Contains(counts, c => c.Tags.StartsWith("verb=WATCH,code=404,", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.DisplayName == "LIST pods");
    }

    private static Dictionary<string, string> Query(string pathAndQuery) =>
        pathAndQuery.Contains('?', StringComparison.Ordinal)
            ? pathAndQuery[(pathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal)
            : [];

    private static string PathOf(string pathAndQuery) => pathAndQuery.Split('?')[0];
}
