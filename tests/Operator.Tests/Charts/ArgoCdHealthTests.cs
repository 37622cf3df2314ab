using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Manifests;
using Imprint.Operator.Tests.Charts.Support;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Charts;

/// <summary>
/// docs/argocd/imprint-health.lua run by a real Lua interpreter against statuses the CRD schemas admit, for both
/// kinds, and the argocd-cm patch carrying that exact script.
/// </summary>
public sealed class ArgoCdHealthTests
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "docs", "argocd");

    private static readonly string Script = Path.Combine(Folder, "imprint-health.lua");

    public static TheoryData<string> Kinds() => [V1Alpha1GoldenImage.KindName, V1Alpha1VmClone.KindName];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Ready_with_a_true_ready_condition_is_healthy(string kind)
    {
        var (status, message) = Health(kind, 2, """
            {"phase":"Ready","progress":"100%","observedGeneration":2,
             "conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"disk sealed","lastTransitionTime":"2025-01-02T03:04:05Z"}]}
            """);

        Assert.Equal("Healthy", status);
        Assert.Equal("disk sealed", message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Failed_is_degraded_with_the_reason_and_message(string kind)
    {
        var (status, message) = Health(kind, 1, """
            {"phase":"Failed","observedGeneration":1,"reason":"AgentFailed","message":"exit code 4: malformed image",
             "conditions":[{"type":"Ready","status":"False","reason":"AgentFailed","message":"exit code 4","lastTransitionTime":"2025-01-02T03:04:05Z"},
                           {"type":"Degraded","status":"True","reason":"AgentFailed","message":"exit code 4","lastTransitionTime":"2025-01-02T03:04:05Z"}]}
            """);

        Assert.Equal("Degraded", status);
        Assert.Equal("AgentFailed: exit code 4: malformed image", message);
    }

    [Theory]
    [InlineData("GoldenImage", "Sealing")]
    [InlineData("GoldenImage", "Importing")]
    [InlineData("VmClone", "Cloning")]
    [InlineData("VmClone", "WaitingForGoldenImage")]
    public void A_phase_in_progress_is_progressing_with_the_phase_and_progress(string kind, string phase)
    {
        var (status, message) = Health(kind, 1, $$"""
            {"phase":"{{phase}}","progress":"45%","observedGeneration":1,
             "conditions":[{"type":"Progressing","status":"True","reason":"{{phase}}","message":"","lastTransitionTime":"2025-01-02T03:04:05Z"}]}
            """);

        Assert.Equal("Progressing", status);
        Assert.Equal($"{phase} 45%", message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_ready_status_for_an_older_generation_is_progressing(string kind)
    {
        var (status, message) = Health(kind, 3, """
            {"phase":"Ready","observedGeneration":2,
             "conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"","lastTransitionTime":"2025-01-02T03:04:05Z"}]}
            """);

        Assert.Equal("Progressing", status);
        Assert.Equal("Waiting for the operator to observe generation 3", message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void No_status_yet_is_progressing(string kind)
    {
        var (status, _) = Health(kind, 1, null);

        Assert.Equal("Progressing", status);
    }

    [Fact]
    public void The_argocd_cm_patch_carries_the_script_for_both_kinds()
    {
        var patch = YamlJson.ParseSingle(File.ReadAllText(Path.Combine(Folder, "argocd-cm-patch.yaml")))!["data"]!.AsObject();
        var script = File.ReadAllText(Script);

        Assert.Equal(
            ["resource.customizations.health.imprint.dev_GoldenImage", "resource.customizations.health.imprint.dev_VmClone"],
            patch.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(patch, e => Assert.Equal(script, (string?)e.Value));
    }

    private static (string Status, string Message) Health(string kind, long generation, string? statusJson)
    {
        // The samples' objects, with the status the operator would write (admitted by the CRD schema).
        var sample = kind == V1Alpha1GoldenImage.KindName ? "imprint.dev_v1alpha1_goldenimage_http.yaml" : "imprint.dev_v1alpha1_vmclone.yaml";
        var obj = YamlJson.ParseSingle(File.ReadAllText(Path.Combine(RepositoryPaths.Config, "samples", sample)))!.AsObject();
        obj["metadata"]!["generation"] = generation;
        if (statusJson is not null)
        {
            obj["status"] = JsonNode.Parse(statusJson);
            var entity = kind == V1Alpha1GoldenImage.KindName ? typeof(V1Alpha1GoldenImage) : typeof(V1Alpha1VmClone);
            Assert.Empty(new SchemaValidator(CrdGenerator.BuildSchema(entity)).Admit(obj));
        }

        return Lua.RunHealth(Script, obj);
    }
}
