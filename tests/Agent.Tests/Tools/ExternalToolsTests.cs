using System.Text.RegularExpressions;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Tests.Tools;

public sealed partial class ExternalToolsTests
{
    [Fact]
    public void Every_tool_the_agent_source_runs_is_listed()
    {
        var source = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src/Agent"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(File.ReadAllText);
        var called = source.SelectMany(text => ToolCall().Matches(text).Select(m => m.Groups["tool"].Value)).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(called);
        Assert.All(called, tool => Assert.True(ExternalTools.Packages.ContainsKey(tool), $"'{tool}' is run by the agent but not listed in ExternalTools"));
    }

    [Fact]
    public void The_agent_dockerfile_installs_every_package_the_tools_come_from()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot(), "build/agent.Dockerfile"));
        var install = AptInstall().Match(dockerfile);

        Assert.True(install.Success, "agent.Dockerfile has no apt-get install line");
        var packages = install.Groups["packages"].Value.Split([' ', '\\', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        Assert.All(ExternalTools.Packages.Values.Distinct(), package => Assert.Contains(package, packages));
        Assert.Contains("USER 65532", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_listed_tool_is_on_this_machine()
    {
        Assert.All(ExternalTools.Packages.Keys, tool => Assert.True(ToolRunner.IsAvailable(tool), $"{tool} is missing: run make deps"));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [GeneratedRegex(@"ToolRunner\.(?:RunAsync|Resolve)\(\s*""(?<tool>[a-z0-9.-]+)""")]
    private static partial Regex ToolCall();

    [GeneratedRegex("""apt-get install[^\n]*?(?:--no-install-recommends\s+)?(?<packages>[a-z0-9 .+\\\n-]+?)(?:\s*\\\s*\n\s*&&|\s*&&|\n\n)""")]
    private static partial Regex AptInstall();
}
