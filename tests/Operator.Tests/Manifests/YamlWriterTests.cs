using System.Text.Json.Nodes;
using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Manifests;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("plain words")]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("0644")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData(" leading space")]
    [InlineData("trailing space ")]
    [InlineData("key: value")]
    [InlineData("a # not a comment")]
    [InlineData("- dash")]
    [InlineData("*alias")]
    [InlineData("quote \" and \\ backslash")]
    [InlineData("two\nlines")]
    [InlineData("^(sha256:[0-9a-f]{64})$")]
    [InlineData("size ≥ 1")]
    [InlineData("[\"*\"]")]
    public void Strings_read_back_as_the_same_string(string value)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["v"] = value });

        var parsed = YamlJson.ParseSingle(yaml)!["v"];

        Assert.Equal(value, (string?)parsed);
    }

    [Fact]
    public void Nested_maps_lists_and_scalars_round_trip()
    {
        var tree = new JsonObject
        {
            ["a"] = new JsonObject { ["b"] = 1, ["c"] = true, ["d"] = new JsonArray("x", 2, false) },
            ["empty"] = new JsonObject(),
            ["none"] = new JsonArray(),
            ["items"] = new JsonArray(
                new JsonObject { ["name"] = "n1", ["list"] = new JsonArray("p", "q"), ["map"] = new JsonObject { ["k"] = "v" } },
                new JsonArray(1, 2)),
        };

        var yaml = YamlWriter.Write(tree, "header line");

        Assert.StartsWith("# header line\n", yaml, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(tree, YamlJson.ParseSingle(yaml)), yaml);
        Assert.Contains("empty: {}\n", yaml, StringComparison.Ordinal);
        Assert.Contains("none: []\n", yaml, StringComparison.Ordinal);
    }
}
