using System.Text.Json.Nodes;
using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;
using Imprint.Testing.NodeSimulator;

namespace Imprint.Operator.Tests.Manifests;

/// <summary>
/// The generated VolumePopulator (config/populator) as Kubernetes' volume-data-source-validator reads it (simulated in
/// tests by <see cref="DataSourceValidatorSimulator"/>): with it applied, claims naming a CloneTemplate are recognized
/// and get no warning; without it, each such claim gets the validator's UnrecognizedDataSourceKind warning.
/// </summary>
public sealed class VolumePopulatorGeneratorTests
{
    private const string Ns = "vms";

    [Fact]
    public async Task Data_source_validator_warns_about_clone_template_claims_until_the_generated_volume_populator_is_applied()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        await using var validator = DataSourceValidatorSimulator.Start(server);

        // Not registered yet: the claim naming a CloneTemplate is flagged; a claim cloning a PVC never is.
        server.Put(Claim("early", new JsonObject { ["apiGroup"] = "imprint.dev", ["kind"] = "CloneTemplate", ["name"] = "web" }));
        server.Put(Claim("copy", new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "early" }));
        await CheckedAsync(validator, "early");
        await CheckedAsync(validator, "copy");
        var warning = Assert.Single(ValidatorEvents(server, "early"));
        Assert.Equal("Warning", (string?)warning["type"]);
        Assert.Equal(DataSourceValidatorSimulator.Message, (string?)warning["message"]);
        Assert.Empty(ValidatorEvents(server, "copy"));

        // The file `make manifests` writes, applied as kubectl would.
        var populator = YamlJson.ParseSingle(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Config, VolumePopulatorGenerator.FileName)))!.AsObject();
        Assert.Equal(YamlWriter.Write(VolumePopulatorGenerator.Build(), VolumePopulatorGenerator.Header), YamlWriter.Write(populator, VolumePopulatorGenerator.Header));
        server.Put(populator);

        server.Put(Claim("late", new JsonObject { ["apiGroup"] = "imprint.dev", ["kind"] = "CloneTemplate", ["name"] = "web" }));
        server.Put(Claim("other", new JsonObject { ["apiGroup"] = "example.com", ["kind"] = "Hello", ["name"] = "x" }));
        Assert.True(await CheckedAsync(validator, "late"));
        Assert.False(await CheckedAsync(validator, "other"));
        Assert.Empty(ValidatorEvents(server, "late"));
        Assert.Single(ValidatorEvents(server, "other"));
        Assert.Empty(validator.Errors);
    }

    private static JsonObject Claim(string name, JsonObject dataSourceRef) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "PersistentVolumeClaim",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } },
            ["dataSourceRef"] = dataSourceRef,
        },
    };

    /// <summary>Waits until the validator has looked at the claim; returns whether it recognized the kind.</summary>
    private static async Task<bool> CheckedAsync(DataSourceValidatorSimulator validator, string claim)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (validator.Checked.LastOrDefault(c => c.Claim == $"{Ns}/{claim}") is { Claim: not null } found)
            {
                return found.Recognized;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private static IReadOnlyList<JsonObject> ValidatorEvents(FakeKubeApiServer server, string claim) =>
        [.. server.List("v1", "events", Ns).Where(e => (string?)e["involvedObject"]?["name"] == claim && (string?)e["reason"] == DataSourceValidatorSimulator.Reason)];
}
