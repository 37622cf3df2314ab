using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Kubernetes.Configuration;
using Imprint.Operator.Kubernetes.Models;
using Imprint.Operator.Tests.Kubernetes.Support;
using Microsoft.AspNetCore.Http;

namespace Imprint.Operator.Tests.Kubernetes.Client;

public sealed class KubernetesClientTests
{
    private const string ConfigMapJson = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"ns","resourceVersion":"7"},"data":{"k":"v"}}""";

    private static KubernetesClient ClientFor(KestrelApiStub stub, ICredentialProvider? credentials = null, TimeSpan? timeout = null) =>
        new(new KubernetesClientConfiguration
        {
            Server = stub.BaseAddress,
            Credentials = credentials ?? new StaticTokenProvider("t0ken"),
            Namespace = "ns",
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    [Fact]
    public async Task Crud_round_trip_uses_the_right_verbs_paths_and_content_types()
    {
        await using var stub = await KestrelApiStub.StartAsync((context, request) =>
            request.PathAndQuery.EndsWith("/log?tailLines=20&container=agent", StringComparison.Ordinal)
                ? context.Response.WriteAsync("line 1\nline 2\n")
                : request.Method == "GET" && request.PathAndQuery.StartsWith("/api/v1/namespaces/ns/configmaps?", StringComparison.Ordinal)
                    ? KestrelApiStub.WriteJsonAsync(context, 200, $$"""{"kind":"ConfigMapList","metadata":{"resourceVersion":"9","continue":"next"},"items":[{{ConfigMapJson}}]}""")
                    : request.Method == "DELETE"
                        ? KestrelApiStub.WriteJsonAsync(context, 200, """{"kind":"Status","status":"Success"}""")
                        : KestrelApiStub.WriteJsonAsync(context, request.Method == "POST" ? 201 : 200, ConfigMapJson));
        using var client = ClientFor(stub);
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm", Namespace = "ns" }, Data = new Dictionary<string, string> { ["k"] = "v" } };
        var patch = new JsonObject { ["data"] = new JsonObject { ["k"] = "w" } };

        var created = await client.CreateAsync(configMap);
        var read = await client.GetAsync<V1ConfigMap>("cm", "ns");
        var list = await client.ListAsync<V1ConfigMap>("ns", new ListOptions { LabelSelector = "app=imprint", FieldSelector = "metadata.name=cm", Limit = 5, Continue = "tok", ResourceVersion = "3" });
        await client.ReplaceAsync(created);
        await client.ReplaceStatusAsync(created);
        await client.PatchAsync<V1ConfigMap>("cm", "ns", patch);
        await client.PatchStatusAsync<V1ConfigMap>("cm", null, patch);
        var deleted = await client.DeleteAsync<V1ConfigMap>("cm", "ns", PropagationPolicy.Foreground);
        var log = await client.ReadPodLogAsync("p", "ns", "agent", 20);

        Assert.Equal("7", created.Metadata.ResourceVersion);
        Assert.Equal("v", read!.Data!["k"]);
        Assert.Equal("next", list.Metadata.Continue);
        Assert.Equal("cm", Assert.Single(list.Items).Metadata.Name);
        Assert.True(deleted);
        Assert.Equal("line 1\nline 2\n", log);
        var requests = stub.Requests.ToArray();
        Assert.Equal(
            [
                "POST /api/v1/namespaces/ns/configmaps",
                "GET /api/v1/namespaces/ns/configmaps/cm",
                "GET /api/v1/namespaces/ns/configmaps?limit=5&continue=tok&labelSelector=app%3Dimprint&fieldSelector=metadata.name%3Dcm&resourceVersion=3",
                "PUT /api/v1/namespaces/ns/configmaps/cm",
                "PUT /api/v1/namespaces/ns/configmaps/cm/status",
                "PATCH /api/v1/namespaces/ns/configmaps/cm",
                "PATCH /api/v1/namespaces/ns/configmaps/cm/status",
                "DELETE /api/v1/namespaces/ns/configmaps/cm",
                "GET /api/v1/namespaces/ns/pods/p/log?tailLines=20&container=agent",
            ],
            requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
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
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "j", ResourceVersion = "1" } };

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
        using var client = ClientFor(stub);

        // A POST too: a 429 is refused before the server acts on it.
        var created = await client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" } });

        var requests = stub.Requests.ToArray();
        Assert.Equal("cm", created.Metadata.Name);
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95), $"retried after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
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

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" } }));
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

        var events = new List<WatchEvent<V1ConfigMap>>();
        await foreach (var watchEvent in client.WatchAsync<V1ConfigMap>("ns", new ListOptions { ResourceVersion = "5", TimeoutSeconds = 60, LabelSelector = "a=b" }))
        {
            events.Add(watchEvent);
        }

        Assert.Equal(["ADDED", "BOOKMARK", "MODIFIED"], events.Select(e => e.Type));
        Assert.Equal("12", events[1].Object!.Metadata.ResourceVersion);
        Assert.Equal("13", events[2].Object!.Metadata.ResourceVersion);
        Assert.Equal(1, client.MalformedWatchLines);
        Assert.Equal(
            "/api/v1/namespaces/ns/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=60&labelSelector=a%3Db&resourceVersion=5",
            Assert.Single(stub.Requests).PathAndQuery);
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
        var seen = new List<string>();

        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var watchEvent in client.WatchAsync<V1ConfigMap>("ns", new ListOptions { ResourceVersion = "5" }))
            {
                seen.Add(watchEvent.Type);
            }
        });

        Assert.Equal(["ADDED"], seen);
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
        Assert.Equal("/api/v1/pods?watch=true&allowWatchBookmarks=true", Assert.Single(stub.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Exec_credential_is_refreshed_once_after_a_401()
    {
        using var folder = new TempFolder();
        var counter = Path.Combine(folder.Path, "runs");
        var script = folder.Write("plugin.sh", $$$"""
            #!/bin/bash
            echo run >> '{{{counter}}}'
            n=$(wc -l < '{{{counter}}}')
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s"}}' "$n"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        await using var stub = await KestrelApiStub.StartAsync((context, request) => request.Authorization == "Bearer tok-2"
            ? KestrelApiStub.WriteJsonAsync(context, 200, ConfigMapJson)
            : KestrelApiStub.WriteJsonAsync(context, 401, KestrelApiStub.Status(401, "Unauthorized", "Unauthorized")));
        using var client = ClientFor(stub, new ExecCredentialProvider(script, [], new Dictionary<string, string>()));

        var read = await client.GetAsync<V1ConfigMap>("cm", "ns");

        Assert.NotNull(read);
        Assert.Equal(["Bearer tok-1", "Bearer tok-2"], stub.Requests.Select(r => r.Authorization));
        Assert.Equal(2, File.ReadAllLines(counter).Length);
    }

    [Fact]
    public async Task Request_timeout_gives_up_after_three_attempts()
    {
        await using var stub = await KestrelApiStub.StartAsync(async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = ClientFor(stub, timeout: TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<TimeoutException>(() => client.GetAsync<V1ConfigMap>("cm", "ns"));

        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task Post_is_not_resent_after_a_timeout()
    {
        await using var stub = await KestrelApiStub.StartAsync(async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = ClientFor(stub, timeout: TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<TimeoutException>(() => client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" } }));
        await Task.Delay(300);

        Assert.Equal("POST", Assert.Single(stub.Requests).Method);
    }

    [Fact]
    public async Task Kubeconfig_client_certificate_is_presented_over_tls()
    {
        using var authority = TestCertificates.CreateAuthority("mtls-ca");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        var (certificatePem, keyPem) = TestCertificates.CreateClientPem("system:admin", ec: false);
        await using var stub = await KestrelApiStub.StartAsync((context, _) => KestrelApiStub.WriteJsonAsync(context, 200, ConfigMapJson), serverCertificate, requireClientCertificate: true);
        using var folder = new TempFolder();
        static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
        var kubeconfig = folder.Write("config", $"""
            apiVersion: v1
            kind: Config
            current-context: main
            clusters:
            - name: c
              cluster:
                server: {stub.BaseAddress}
                certificate-authority-data: {B64(authority.ExportCertificatePem())}
            users:
            - name: admin
              user:
                client-certificate-data: {B64(certificatePem)}
                client-key-data: {B64(keyPem)}
            contexts:
            - name: main
              context: {"{"}cluster: c, user: admin, namespace: ns{"}"}
            """);
        using var client = new KubernetesClient(KubeConfigLoader.Load(kubeconfigEnv: kubeconfig));

        Assert.NotNull(await client.GetAsync<V1ConfigMap>("cm", null));

        var request = Assert.Single(stub.Requests);
        Assert.Equal("Certificate CN=system:admin", request.Authorization);
        Assert.Equal("/api/v1/namespaces/ns/configmaps/cm", request.PathAndQuery);
    }

    [Fact]
    public async Task Tls_server_signed_by_a_private_ca_is_trusted_through_ca_data_only()
    {
        using var authority = TestCertificates.CreateAuthority("test-ca");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        using var otherAuthority = TestCertificates.CreateAuthority("other-ca");
        await using var stub = await KestrelApiStub.StartAsync((context, _) => KestrelApiStub.WriteJsonAsync(context, 200, ConfigMapJson), serverCertificate);
        Assert.Equal("https", stub.BaseAddress.Scheme);
        var trusted = X509Collection(authority);

        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = stub.BaseAddress, CertificateAuthorities = trusted });
        using var untrusted = new KubernetesClient(new KubernetesClientConfiguration { Server = stub.BaseAddress, CertificateAuthorities = X509Collection(otherAuthority) });
        using var wrongName = new KubernetesClient(new KubernetesClientConfiguration { Server = stub.BaseAddress, CertificateAuthorities = trusted, TlsServerName = "evil.example" });
        using var insecure = new KubernetesClient(new KubernetesClientConfiguration { Server = stub.BaseAddress, SkipTlsVerify = true });

        Assert.NotNull(await client.GetAsync<V1ConfigMap>("cm", "ns"));
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusted.GetAsync<V1ConfigMap>("cm", "ns"));
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongName.GetAsync<V1ConfigMap>("cm", "ns"));
        Assert.NotNull(await insecure.GetAsync<V1ConfigMap>("cm", "ns"));
        Assert.Equal(2, stub.Requests.Count);
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

        var span = Assert.Single(spans, s => ((string?)s.GetTagItem("url.path"))?.Contains("does-not-exist-", StringComparison.Ordinal) == true);
        Assert.Equal("GET namespaces", span.DisplayName);
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
        var server = client.Configuration.Server;
        Assert.Contains(counts, c => c.Value == 1 && c.Tags == $"verb=GET,code=404,server.address={server.Host},server.port={server.Port}");
    }

    [Fact]
    public async Task Dynamic_client_reads_and_writes_custom_resources_as_json()
    {
        var golden = new ResourceType("imprint.dev", "v1alpha1", "GoldenImage", "goldenimages", Namespaced: true);
        await using var stub = await KestrelApiStub.StartAsync((context, request) => request.Method switch
        {
            "DELETE" => KestrelApiStub.WriteJsonAsync(context, 404, KestrelApiStub.Status(404, "NotFound", "gone")),
            "GET" when request.PathAndQuery.Contains('?', StringComparison.Ordinal) => KestrelApiStub.WriteJsonAsync(context, 200, """{"items":[{"metadata":{"name":"g"}}],"metadata":{}}"""),
            _ => KestrelApiStub.WriteJsonAsync(context, 200, request.Body.Length > 0 && request.Method == "POST" ? request.Body : """{"metadata":{"name":"g"},"status":{"phase":"Ready"}}"""),
        });
        using var client = ClientFor(stub);
        var dynamic = client.Dynamic(golden);

        var created = await dynamic.CreateAsync(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "g" }, ["spec"] = new JsonObject { ["size"] = "10Gi" } });
        var read = await dynamic.GetAsync("g", null);
        var list = await dynamic.ListAsync("ns", new ListOptions { Limit = 1 });
        await dynamic.PatchAsync("g", "ns", new JsonObject { ["status"] = new JsonObject { ["phase"] = "Ready" } }, status: true);
        var deleted = await dynamic.DeleteAsync("g", "ns");

        Assert.Equal("imprint.dev/v1alpha1", (string?)created["apiVersion"]);
        Assert.Equal("GoldenImage", (string?)created["kind"]);
        Assert.Equal("Ready", (string?)read!["status"]!["phase"]);
        Assert.Single(list["items"]!.AsArray());
        Assert.False(deleted);
        Assert.Equal(
            [
                "POST /apis/imprint.dev/v1alpha1/namespaces/ns/goldenimages",
                "GET /apis/imprint.dev/v1alpha1/namespaces/ns/goldenimages/g",
                "GET /apis/imprint.dev/v1alpha1/namespaces/ns/goldenimages?limit=1",
                "PATCH /apis/imprint.dev/v1alpha1/namespaces/ns/goldenimages/g/status",
                "DELETE /apis/imprint.dev/v1alpha1/namespaces/ns/goldenimages/g",
            ],
            stub.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2Collection X509Collection(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        [System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.RawData)];
}
