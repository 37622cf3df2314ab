using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Validation;

public sealed class CustomResourceDefinitionTests
{
    [Fact]
    public async Task Creating_a_crd_serves_its_kind_and_marks_it_established()
    {
        await using var api = await TestApi.StartAsync();
        var (before, _) = await api.GetAsync(WidgetCrd.Path);

        await WidgetCrd.RegisterAsync(api);
        var widget = await api.CreateAsync(WidgetCrd.Path, """{"apiVersion":"imprint.dev/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"image":"debian","target":{"pvc":"p"}}}""");
        var crd = api.Server.Get("apiextensions.k8s.io/v1", "customresourcedefinitions", null, "widgets.imprint.dev")!;

        Assert.Equal(HttpStatusCode.NotFound, before);
        Assert.Equal("Widget", (string?)widget["kind"]);
        Assert.Contains(crd["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Established" && (string?)c["status"] == "True");
    }

    [Fact]
    public async Task Crd_kind_has_status_subresource_semantics()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);
        await api.CreateAsync(WidgetCrd.Path, """{"metadata":{"name":"w"},"spec":{"image":"debian","target":{"pvc":"p"}},"status":{"phase":"Lying"}}""");

        var (_, afterMain) = await api.PatchAsync($"{WidgetCrd.Path}/w", """{"status":{"phase":"Ignored"}}""");
        var (_, afterStatus) = await api.PatchAsync($"{WidgetCrd.Path}/w/status", """{"status":{"phase":"Ready"}}""");

        Assert.Null(afterMain["status"]);
        Assert.Equal("Ready", (string?)afterStatus["status"]!["phase"]);
        Assert.Equal(1, (long)afterStatus["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Deleting_the_crd_removes_its_objects_and_kind()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);
        await api.CreateAsync(WidgetCrd.Path, """{"metadata":{"name":"w"},"spec":{"image":"debian","target":{"pvc":"p"}}}""");

        await api.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.imprint.dev");
        var (status, _) = await api.GetAsync(WidgetCrd.Path);

        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
