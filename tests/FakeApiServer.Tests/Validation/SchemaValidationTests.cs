using System.Net;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests.Validation;

public sealed class SchemaValidationTests
{
    [Theory]
    [InlineData("""{"image":"debian","size":"big","target":{"pvc":"p"}}""", "spec.size", "FieldValueTypeInvalid")]
    [InlineData("""{"target":{"pvc":"p"}}""", "spec.image", "FieldValueRequired")]
    [InlineData("""{"image":"Debian!","target":{"pvc":"p"}}""", "spec.image", "FieldValueInvalid")]
    [InlineData("""{"image":"debian","size":11,"target":{"pvc":"p"}}""", "spec.size", "FieldValueInvalid")]
    [InlineData("""{"image":"debian","mode":"warp","target":{"pvc":"p"}}""", "spec.mode", "FieldValueNotSupported")]
    [InlineData("""{"image":"debian","tags":["a","b","c"],"target":{"pvc":"p"}}""", "spec.tags", "FieldValueTooMany")]
    [InlineData("""{"image":"debian","quantity":1.5,"target":{"pvc":"p"}}""", "spec.quantity", "FieldValueTypeInvalid")]
    [InlineData("""{"image":"debian","labels":{"a":1},"target":{"pvc":"p"}}""", "spec.labels.a", "FieldValueTypeInvalid")]
    [InlineData("""{"image":"debian","target":{}}""", "spec.target", "FieldValueInvalid")]
    [InlineData("""{"image":"debian","target":{"pvc":"p","snapshot":"s"}}""", "spec.target", "FieldValueInvalid")]
    public async Task Invalid_spec_is_422_with_field_cause(string spec, string field, string reason)
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);

        var (status, body) = await api.PostAsync(WidgetCrd.Path, $$"""{"metadata":{"name":"w"},"spec":{{spec}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Invalid", (string?)body["reason"]);
        Assert.Equal("Widget", (string?)body["details"]!["kind"]);
        // A type error also blocks the CEL rules, which the real server reports as a second cause.
        var causes = body["details"]!["causes"]!.AsArray().Where(c => (string?)c!["field"] != "<nil>" || reason != "FieldValueTypeInvalid");
        var cause = Assert.Single(causes);
        Assert.Equal(field, (string?)cause!["field"]);
        Assert.Equal(reason, (string?)cause["reason"]);
        Assert.Null(api.Server.Get("imprint.dev/v1alpha1", "widgets", "a", "w"));
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_and_defaults_applied()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);

        var widget = await api.CreateAsync(WidgetCrd.Path,
            """{"metadata":{"name":"w"},"spec":{"image":"debian","bogus":1,"quantity":"1Gi","extra":{"kept":true},"target":{"pvc":"p","junk":2}},"junkTop":1}""");

        var spec = widget["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("bogus"));
        Assert.False(widget.ContainsKey("junkTop"));
        Assert.Equal("""{"pvc":"p"}""", spec["target"]!.ToJsonString());
        Assert.Equal(3, (int)spec["size"]!);
        Assert.Equal("1Gi", (string?)spec["quantity"]);
        Assert.True((bool)spec["extra"]!["kept"]!);
    }

    [Fact]
    public async Task Immutable_field_rule_rejects_changes_on_update_only()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);
        await api.CreateAsync(WidgetCrd.Path, """{"metadata":{"name":"w"},"spec":{"image":"debian","source":{"url":"a"},"target":{"pvc":"p"}}}""");

        var (changed, body) = await api.PatchAsync($"{WidgetCrd.Path}/w", """{"spec":{"source":{"url":"b"}}}""");
        var (unchanged, _) = await api.PatchAsync($"{WidgetCrd.Path}/w", """{"spec":{"size":5}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed);
        var cause = Assert.Single(body["details"]!["causes"]!.AsArray());
        Assert.Equal("spec.source", (string?)cause!["field"]);
        Assert.Contains("source is immutable", (string?)cause["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, unchanged);
        Assert.Equal("a", (string?)api.Server.Get("imprint.dev/v1alpha1", "widgets", "a", "w")!["spec"]!["source"]!["url"]);
    }

    [Fact]
    public async Task A_definition_with_a_rule_outside_the_supported_cel_subset_is_rejected()
    {
        await using var api = await TestApi.StartAsync();
        var json = WidgetCrd.Json.Replace("self.size > 0", "self.image.lowerAscii() == self.image", StringComparison.Ordinal);

        var (status, body) = await api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("lowerAscii", (string?)body["message"], StringComparison.Ordinal);
        Assert.Null(api.Server.Get("apiextensions.k8s.io/v1", "customresourcedefinitions", null, "widgets.imprint.dev"));
    }

    [Fact]
    public async Task A_rule_on_a_selected_field_is_enforced()
    {
        await using var api = await TestApi.StartAsync();
        var json = WidgetCrd.Json.Replace("self.size > 0", "self.size > 2", StringComparison.Ordinal);
        await api.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json);

        var (rejected, body) = await api.PostAsync(WidgetCrd.Path, """{"metadata":{"name":"w"},"spec":{"image":"debian","size":2}}""");
        var (accepted, _) = await api.PostAsync(WidgetCrd.Path, """{"metadata":{"name":"v"},"spec":{"image":"debian"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected);
        Assert.Equal("spec", (string?)body["details"]!["causes"]![0]!["field"]);
        Assert.Equal(HttpStatusCode.Created, accepted);
    }

    [Fact]
    public async Task A_rule_that_fails_to_evaluate_rejects_the_object()
    {
        await using var api = await TestApi.StartAsync();
        var json = WidgetCrd.Json.Replace("self.size > 0", "self.mode == 'fast'", StringComparison.Ordinal);
        await api.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json);

        var (status, body) = await api.PostAsync(WidgetCrd.Path, """{"metadata":{"name":"w"},"spec":{"image":"debian"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("no such key: mode", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Direct_put_bypasses_validation()
    {
        await using var api = await TestApi.StartAsync();
        await WidgetCrd.RegisterAsync(api);

        var stored = api.Server.Put(JsonNode.Parse("""{"apiVersion":"imprint.dev/v1alpha1","kind":"Widget","metadata":{"name":"w","namespace":"a"},"spec":{"size":"x"}}""")!.AsObject());

        Assert.Equal("x", (string?)stored["spec"]!["size"]);
    }
}
