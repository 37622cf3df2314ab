using System.Net;
using Imprint.Testing.FakeApiServer.Tests.Validation;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

/// <summary>ObjectMeta rules the real server enforces on every kind or on custom resources.</summary>
public sealed class MetadataRuleTests
{
    [Fact]
    public async Task Adding_a_finalizer_to_an_object_being_deleted_is_forbidden()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c","finalizers":["x.dev/a"]}}""");
        await api.DeleteAsync("/api/v1/namespaces/a/configmaps/c");

        var (status, body) = await api.PatchAsync("/api/v1/namespaces/a/configmaps/c", """{"metadata":{"finalizers":["x.dev/a","x.dev/b"]}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("metadata.finalizers", (string?)body["details"]!["causes"]![0]!["field"]);
        Assert.Contains("no new finalizers can be added if the object is being deleted", (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal("""["x.dev/a"]""", api.Server.Get("v1", "configmaps", "a", "c")!["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public async Task Marking_a_custom_resource_for_deletion_bumps_its_generation()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);
        var created = await api.CreateAsync(WidgetCrd.Path, """{"metadata":{"name":"w","finalizers":["x.dev/a"]},"spec":{"image":"abc"}}""");

        var (_, marked) = await api.DeleteAsync($"{WidgetCrd.Path}/w");

        Assert.Equal(1, (long)created["metadata"]!["generation"]!);
        Assert.Equal(2, (long)marked["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Put_of_a_custom_resource_without_resource_version_is_invalid()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);
        await api.CreateAsync(WidgetCrd.Path, """{"metadata":{"name":"w"},"spec":{"image":"abc"}}""");

        var (status, body) = await api.PutAsync($"{WidgetCrd.Path}/w", """{"apiVersion":"imprint.dev/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"image":"xyz"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("metadata.resourceVersion", (string?)body["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Put_of_a_built_in_object_without_resource_version_is_an_unconditional_update()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"}}""");

        var (status, _) = await api.PutAsync("/api/v1/namespaces/a/configmaps/c", """{"metadata":{"name":"c"},"data":{"x":"1"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
