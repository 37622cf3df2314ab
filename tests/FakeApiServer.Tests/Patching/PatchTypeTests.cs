using System.Net;
using Imprint.Testing.FakeApiServer.Tests.Validation;

namespace Imprint.Testing.FakeApiServer.Tests.Patching;

/// <summary>The patch media types KubernetesClient sends, accepted where the real server accepts them.</summary>
public sealed class PatchTypeTests
{
    private const string ConfigMaps = "/api/v1/namespaces/a/configmaps";

    [Fact]
    public async Task Json_patch_adds_replaces_removes_and_tests_values()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(ConfigMaps, """{"metadata":{"name":"c","finalizers":["x/a"]},"data":{"x":"1","y":"2"}}""");

        var (status, body) = await api.PatchAsync($"{ConfigMaps}/c", """
            [{"op":"test","path":"/data/x","value":"1"},
             {"op":"replace","path":"/data/x","value":"9"},
             {"op":"remove","path":"/data/y"},
             {"op":"add","path":"/metadata/finalizers/-","value":"x/b"},
             {"op":"add","path":"/metadata/annotations","value":{"x.dev/a":"1"}},
             {"op":"add","path":"/metadata/annotations/x.dev~1b","value":"2"}]
            """, "application/json-patch+json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"x":"9"}""", body["data"]!.ToJsonString());
        Assert.Equal("""["x/a","x/b"]""", body["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("2", (string?)body["metadata"]!["annotations"]!["x.dev/b"]);
    }

    [Fact]
    public async Task Json_patch_whose_test_fails_changes_nothing()
    {
        await using var api = await TestApi.StartAsync();
        var created = await api.CreateAsync(ConfigMaps, """{"metadata":{"name":"c"},"data":{"x":"1"}}""");

        var (status, _) = await api.PatchAsync($"{ConfigMaps}/c",
            """[{"op":"replace","path":"/data/x","value":"2"},{"op":"test","path":"/data/x","value":"1"}]""", "application/json-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(created["metadata"]!["resourceVersion"]!.ToString(), api.Server.Get("v1", "configmaps", "a", "c")!["metadata"]!["resourceVersion"]!.ToString());
        Assert.Equal("1", (string?)api.Server.Get("v1", "configmaps", "a", "c")!["data"]!["x"]);
    }

    [Fact]
    public async Task Json_patch_replacing_resource_version_with_a_stale_one_conflicts()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(ConfigMaps, """{"metadata":{"name":"c"}}""");

        var (status, _) = await api.PatchAsync($"{ConfigMaps}/c",
            """[{"op":"replace","path":"/metadata/resourceVersion","value":"1"},{"op":"add","path":"/data","value":{}}]""", "application/json-patch+json");

        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    [Fact]
    public async Task Json_patch_on_a_missing_path_is_invalid()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(ConfigMaps, """{"metadata":{"name":"c"}}""");

        var (status, _) = await api.PatchAsync($"{ConfigMaps}/c", """[{"op":"remove","path":"/data/x"}]""", "application/json-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_keyed_lists_and_finalizers_on_built_in_kinds()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/pods", """
            {"metadata":{"name":"p","finalizers":["x/a"]},
             "spec":{"containers":[{"name":"one","image":"i1"},{"name":"two","image":"i2"}]}}
            """);

        var (status, body) = await api.PatchAsync("/api/v1/namespaces/a/pods/p",
            """{"metadata":{"finalizers":["x/b"]},"spec":{"activeDeadlineSeconds":5,"containers":[{"name":"two","image":"i3"}]}}""",
            "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""["x/a","x/b"]""", body["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal(2, body["spec"]!["containers"]!.AsArray().Count);
        Assert.Equal("i3", (string?)body["spec"]!["containers"]![1]!["image"]);
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_unsupported_media_type()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);
        await api.CreateAsync(WidgetCrd.Path, """{"metadata":{"name":"w"},"spec":{"image":"abc"}}""");

        var (status, body) = await api.PatchAsync($"{WidgetCrd.Path}/w", """{"spec":{"size":4}}""", "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("UnsupportedMediaType", (string?)body["reason"]);
        Assert.DoesNotContain("strategic", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_and_json_patch_on_a_custom_resource_status_subresource_change_only_status()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);
        await api.CreateAsync(WidgetCrd.Path, """{"metadata":{"name":"w"},"spec":{"image":"abc"}}""");

        var (merge, _) = await api.PatchAsync($"{WidgetCrd.Path}/w/status", """{"spec":{"image":"zzz"},"status":{"phase":"A"}}""");
        var (json, body) = await api.PatchAsync($"{WidgetCrd.Path}/w/status", """[{"op":"replace","path":"/status/phase","value":"B"}]""", "application/json-patch+json");

        Assert.Equal(HttpStatusCode.OK, merge);
        Assert.Equal(HttpStatusCode.OK, json);
        Assert.Equal("B", (string?)body["status"]!["phase"]);
        Assert.Equal("abc", (string?)body["spec"]!["image"]);
    }

    [Fact]
    public async Task Apply_patch_and_unknown_media_types_are_unsupported()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(ConfigMaps, """{"metadata":{"name":"c"}}""");

        var (status, _) = await api.PatchAsync($"{ConfigMaps}/c", """{"data":{}}""", "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }
}
