using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests;

/// <summary>The repository's generated manifests (config/crd, config/samples, config/rbac) as JSON.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static IReadOnlyList<JsonObject> Documents(string folder, string pattern = "*.yaml") =>
        [.. Directory.GetFiles(Path.Combine(Root, folder), pattern).Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => YamlJson.ParseDocuments(File.ReadAllText(f)).OfType<JsonObject>())];

    public static JsonObject Sample(string file) => YamlJson.ParseSingle(File.ReadAllText(Path.Combine(Root, "config", "samples", file)))!.AsObject();

    public static async Task RegisterCrdsAsync(TestApi api)
    {
        foreach (var crd in Documents(Path.Combine("config", "crd")))
            await api.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.ToJsonString());
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Operator.sln not found above the test folder");
    }
}
