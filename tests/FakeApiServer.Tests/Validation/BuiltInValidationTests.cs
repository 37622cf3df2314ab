using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Validation;

/// <summary>Built-in kinds the operator writes are validated as the real server does: 422 Invalid with field causes.</summary>
public sealed class BuiltInValidationTests
{
    private const string Pods = "/api/v1/namespaces/a/pods";
    private const string Jobs = "/apis/batch/v1/namespaces/a/jobs";
    private const string Claims = "/api/v1/namespaces/a/persistentvolumeclaims";
    private const string Containers = "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]";
    private const string Template = "\"template\":{\"spec\":{\"restartPolicy\":\"Never\"," + Containers + "}}";
    private const string ClaimSpec = "\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"10Gi\"}}}";

    [Theory]
    [InlineData(Pods, """{"metadata":{"name":"Bad_Pod"},"spec":{CONTAINERS}}""", "metadata.name")]
    [InlineData(Pods, """{"metadata":{"name":"p","labels":{"app":"LABEL79"}},"spec":{CONTAINERS}}""", "metadata.labels")]
    [InlineData(Pods, """{"metadata":{"name":"p","labels":{"-bad.prefix/app":"x"}},"spec":{CONTAINERS}}""", "metadata.labels")]
    [InlineData(Pods, """{"metadata":{"name":"p","annotations":{"a/b/c":"x"}},"spec":{CONTAINERS}}""", "metadata.annotations")]
    [InlineData(Pods, """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}]}}""", "spec.containers[0].image")]
    [InlineData(Pods, """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","volumeMounts":[{"name":"v","mountPath":"/x"}]}]}}""", "spec.containers[0].volumeMounts[0].name")]
    [InlineData(Pods, """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"},{"name":"c","image":"i"}]}}""", "spec.containers[1].name")]
    [InlineData(Jobs, """{"metadata":{"name":"j"},"spec":{}}""", "spec.template.spec.containers")]
    [InlineData(Jobs, """{"metadata":{"name":"j"},"spec":{"template":{"spec":{CONTAINERS}}}}""", "spec.template.spec.restartPolicy")]
    [InlineData(Jobs, """{"metadata":{"name":"j"},"spec":{"backoffLimit":-1,TEMPLATE}}""", "spec.backoffLimit")]
    [InlineData(Jobs, """{"metadata":{"name":"LONG64"},"spec":{TEMPLATE}}""", "metadata.name")]
    [InlineData(Claims, """{"metadata":{"name":"c"},"spec":{"resources":{"requests":{"storage":"1Gi"}}}}""", "spec.accessModes")]
    [InlineData(Claims, """{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"]}}""", "spec.resources[storage]")]
    [InlineData(Claims, """{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"volumeMode":"Raw","resources":{"requests":{"storage":"1Gi"}}}}""", "spec.volumeMode")]
    [InlineData(Claims, """{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"dataSource":{"kind":"VolumeSnapshot","name":"s"},"resources":{"requests":{"storage":"1Gi"}}}}""", "spec.dataSource.kind")]
    [InlineData("/api/v1/namespaces/a/secrets", """{"metadata":{"name":"s"},"data":{"bad key":"eA=="}}""", "data[bad key]")]
    [InlineData("/api/v1/namespaces/a/secrets", """{"metadata":{"name":"s"},"type":"kubernetes.io/ssh-auth","data":{}}""", "data[ssh-privatekey]")]
    [InlineData("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"},"data":{"k":"1"},"binaryData":{"k":"MQ=="}}""", "data")]
    [InlineData("/apis/events.k8s.io/v1/namespaces/a/events", """{"metadata":{"name":"e"},"eventTime":"2026-01-01T00:00:00.000000Z","reportingController":"imprint.dev/operator","reportingInstance":"i","action":"Sync","reason":"R","type":"Loud","regarding":{"namespace":"a","name":"x"}}""", "type")]
    [InlineData("/apis/events.k8s.io/v1/namespaces/a/events", """{"metadata":{"name":"e"},"reportingController":"imprint.dev/operator","reportingInstance":"i","action":"Sync","reason":"R","type":"Normal","regarding":{"namespace":"a","name":"x"}}""", "eventTime")]
    [InlineData("/api/v1/namespaces/a/events", """{"metadata":{"name":"e"},"involvedObject":{"namespace":"b","name":"x"},"reason":"R"}""", "involvedObject.namespace")]
    [InlineData("/apis/coordination.k8s.io/v1/namespaces/a/leases", """{"metadata":{"name":"l"},"spec":{"leaseDurationSeconds":0}}""", "spec.leaseDurationSeconds")]
    public async Task Invalid_built_in_objects_are_rejected_with_the_field(string path, string json, string field)
    {
        await using var api = await TestApi.StartAsync();
        json = Fill(json);

        var (status, body) = await api.PostAsync(path, json);

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{(int)status}: {body.ToJsonString()}");
        Assert.Equal("Invalid", (string?)body["reason"]);
        Assert.Contains(body["details"]!["causes"]!.AsArray(), c => (string?)c!["field"] == field);
    }

    [Fact]
    public async Task Valid_objects_of_every_kind_the_operator_writes_are_accepted()
    {
        await using var api = await TestApi.StartAsync();

        await api.CreateAsync(Pods, Fill("""{"metadata":{"name":"p","labels":{"imprint.dev/job":"LABEL63"}},"spec":{CONTAINERS}}"""));
        await api.CreateAsync(Jobs, Fill("""{"metadata":{"name":"LONG63"},"spec":{"backoffLimit":0,TEMPLATE}}"""));
        await api.CreateAsync(Claims, Fill("""{"metadata":{"name":"c"},CLAIMSPEC}"""));
        await api.CreateAsync("/apis/coordination.k8s.io/v1/namespaces/a/leases", """{"metadata":{"name":"l"},"spec":{"holderIdentity":"x","leaseDurationSeconds":15}}""");
        await api.CreateAsync("/apis/events.k8s.io/v1/namespaces/a/events", """{"metadata":{"name":"e"},"eventTime":"2026-01-01T00:00:00.000000Z","reportingController":"imprint.dev/operator","reportingInstance":"i","action":"Sync","reason":"R","type":"Normal","regarding":{"namespace":"a","name":"x"}}""");
        var secret = await api.CreateAsync("/api/v1/namespaces/a/secrets", """{"metadata":{"name":"s"},"stringData":{"key":"value"}}""");

        Assert.Equal("dmFsdWU=", (string?)secret["data"]!["key"]);
        Assert.Null(secret["stringData"]);
    }

    [Fact]
    public async Task A_jobs_template_is_immutable_after_create()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Jobs, Fill("""{"metadata":{"name":"j"},"spec":{TEMPLATE}}"""));

        var (edited, body) = await api.PatchAsync($"{Jobs}/j", """{"spec":{"template":{"spec":{"activeDeadlineSeconds":5}}}}""");
        var (suspended, _) = await api.PatchAsync($"{Jobs}/j", """{"spec":{"activeDeadlineSeconds":60}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, edited);
        Assert.Equal("spec.template", (string?)body["details"]!["causes"]![0]!["field"]);
        Assert.Contains("field is immutable", (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, suspended);
    }

    [Fact]
    public async Task A_pods_spec_is_immutable_but_for_images()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Pods, Fill("""{"metadata":{"name":"p"},"spec":{CONTAINERS}}"""));

        var (image, _) = await api.PatchAsync($"{Pods}/p", """{"spec":{"containers":[{"name":"c","image":"alpine"}]}}""", "application/strategic-merge-patch+json");
        var (node, body) = await api.PatchAsync($"{Pods}/p", """{"spec":{"nodeName":"n1"}}""");

        Assert.Equal(HttpStatusCode.OK, image);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, node);
        Assert.Equal("FieldValueForbidden", (string?)body["details"]!["causes"]![0]!["reason"]);
    }

    [Fact]
    public async Task A_bound_claim_grows_but_never_shrinks_and_an_unbound_claim_is_frozen()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Claims, Fill("""{"metadata":{"name":"c"},CLAIMSPEC}"""));

        var (unboundGrow, _) = await api.PatchAsync($"{Claims}/c", """{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}""");
        await api.PatchAsync($"{Claims}/c/status", """{"status":{"phase":"Bound","capacity":{"storage":"10Gi"}}}""");
        var (shrink, shrinkBody) = await api.PatchAsync($"{Claims}/c", """{"spec":{"resources":{"requests":{"storage":"5Gi"}}}}""");
        var (grow, _) = await api.PatchAsync($"{Claims}/c", """{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}""");
        var (mode, _) = await api.PatchAsync($"{Claims}/c", """{"spec":{"accessModes":["ReadWriteMany"]}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unboundGrow);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, shrink);
        Assert.True((string?)shrinkBody["details"]!["causes"]![0]!["field"] == "spec.resources.requests.storage", shrinkBody.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, grow);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mode);
    }

    [Fact]
    public async Task An_immutable_config_map_keeps_its_data()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"},"immutable":true,"data":{"k":"1"}}""");

        var (status, _) = await api.PatchAsync("/api/v1/namespaces/a/configmaps/c", """{"data":{"k":"2"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("1", (string?)api.Server.Get("v1", "configmaps", "a", "c")!["data"]!["k"]);
    }

    [Fact]
    public async Task A_secret_with_data_that_is_not_base64_is_a_bad_request()
    {
        await using var api = await TestApi.StartAsync();

        var (status, _) = await api.PostAsync("/api/v1/namespaces/a/secrets", """{"metadata":{"name":"s"},"data":{"k":"not base64!"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null(api.Server.Get("v1", "secrets", "a", "s"));
    }

    private static string Fill(string json) => json
        .Replace("CONTAINERS", Containers, StringComparison.Ordinal).Replace("TEMPLATE", Template, StringComparison.Ordinal)
        .Replace("CLAIMSPEC", ClaimSpec, StringComparison.Ordinal)
        .Replace("LABEL79", new string('x', 79), StringComparison.Ordinal).Replace("LABEL63", new string('x', 63), StringComparison.Ordinal)
        .Replace("LONG64", new string('j', 64), StringComparison.Ordinal).Replace("LONG63", new string('j', 63), StringComparison.Ordinal);
}
