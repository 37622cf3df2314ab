using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class SelectorTests
{
    [Theory]
    [InlineData("app=web", "w1,w2")]
    [InlineData("app==web", "w1,w2")]
    [InlineData("app!=web", "db,plain")]
    [InlineData("tier in (front,back)", "db,w1")]
    [InlineData("tier notin (front)", "db,plain,w2")]
    [InlineData("tier", "db,w1")]
    [InlineData("!tier", "plain,w2")]
    [InlineData("app=web,tier=front", "w1")]
    public async Task Label_selector_filters_lists(string selector, string expected)
    {
        await using var api = await TestApi.StartAsync();
        await SeedAsync(api);

        var (_, list) = await api.GetAsync($"/api/v1/namespaces/a/pods?labelSelector={Uri.EscapeDataString(selector)}");

        Assert.Equal(expected, Names(list));
    }

    [Fact]
    public async Task Field_selector_filters_by_name_and_namespace()
    {
        await using var api = await TestApi.StartAsync();
        await SeedAsync(api);
        await api.CreateAsync("/api/v1/namespaces/b/pods", """{"metadata":{"name":"w1"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");

        var (_, byName) = await api.GetAsync("/api/v1/pods?fieldSelector=metadata.name%3Dw1");
        var (_, byNamespace) = await api.GetAsync("/api/v1/pods?fieldSelector=metadata.namespace%3Db");

        Assert.Equal(2, byName["items"]!.AsArray().Count);
        Assert.Equal("w1", Names(byNamespace));
    }

    [Fact]
    public async Task Core_events_filter_by_involved_object_and_type_while_other_kinds_refuse_those_fields()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/events", """{"metadata":{"name":"e1"},"involvedObject":{"kind":"PersistentVolumeClaim","namespace":"a","name":"disk"},"type":"Warning","reason":"ProvisioningFailed"}""");
        await api.CreateAsync("/api/v1/namespaces/a/events", """{"metadata":{"name":"e2"},"involvedObject":{"kind":"PersistentVolumeClaim","namespace":"a","name":"disk"},"type":"Normal","reason":"Provisioning"}""");
        await api.CreateAsync("/api/v1/namespaces/a/events", """{"metadata":{"name":"e3"},"involvedObject":{"kind":"Pod","namespace":"a","name":"other"},"type":"Warning","reason":"Failed"}""");

        var (_, byObject) = await api.GetAsync("/api/v1/namespaces/a/events?fieldSelector=" + Uri.EscapeDataString("involvedObject.name=disk"));
        var (_, warnings) = await api.GetAsync("/api/v1/namespaces/a/events?fieldSelector=" + Uri.EscapeDataString("involvedObject.name=disk,type!=Normal"));
        var (refused, _) = await api.GetAsync("/api/v1/namespaces/a/pods?fieldSelector=" + Uri.EscapeDataString("involvedObject.name=disk"));

        Assert.Equal("e1,e2", Names(byObject));
        Assert.Equal("e1", Names(warnings));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused);
    }

    private static async Task SeedAsync(TestApi api)
    {
        await api.CreateAsync("/api/v1/namespaces/a/pods", """{"metadata":{"name":"w1","labels":{"app":"web","tier":"front"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
        await api.CreateAsync("/api/v1/namespaces/a/pods", """{"metadata":{"name":"w2","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
        await api.CreateAsync("/api/v1/namespaces/a/pods", """{"metadata":{"name":"db","labels":{"app":"db","tier":"back"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
        await api.CreateAsync("/api/v1/namespaces/a/pods", """{"metadata":{"name":"plain"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
    }

    private static string Names(JsonObject list) =>
        string.Join(",", list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
}
