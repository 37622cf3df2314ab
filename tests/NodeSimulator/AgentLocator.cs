namespace Imprint.Testing.NodeSimulator;

/// <summary>Finds the agent the solution build produced: <c>src/Agent/bin/&lt;Configuration&gt;/net10.0/imprint</c> under the folder holding Operator.sln.</summary>
internal static class AgentLocator
{
    public static string Resolve(NodeSimulatorOptions options)
    {
        if (options.ImprintPath is { } explicitPath)
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new FileNotFoundException($"agent not found at {explicitPath}", explicitPath);
        var configuration = options.Configuration ?? NodeSimulatorOptions.ConfigurationOf(typeof(AgentLocator).Assembly) ?? "Debug";
        var root = FindRepoRoot(AppContext.BaseDirectory) ?? FindRepoRoot(Environment.CurrentDirectory)
            ?? throw new DirectoryNotFoundException($"no Operator.sln above {AppContext.BaseDirectory}; set NodeSimulatorOptions.ImprintPath");
        var path = Path.Combine(root, "src", "Agent", "bin", configuration, "net10.0", "imprint");
        return File.Exists(path) ? path : throw new FileNotFoundException($"agent not built at {path}: run `dotnet build Operator.sln -c {configuration}`", path);
    }

    internal static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
                return dir.FullName;
        }
        return null;
    }
}
