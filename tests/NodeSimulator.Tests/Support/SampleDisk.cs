using System.Diagnostics;

namespace Imprint.Testing.NodeSimulator.Tests;

/// <summary>One 64 MiB sample guest disk per test run, built by the repository's own script (no root needed).</summary>
internal static class SampleDisk
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static Task<string> PathAsync() => Built.Value;

    public static string RepoRoot => AgentLocator.FindRepoRoot(AppContext.BaseDirectory)!;

    private static async Task<string> BuildAsync()
    {
        // Next to the test binaries rather than in /tmp, so repeated runs overwrite instead of leaking 64 MiB each.
        var dir = Directory.CreateDirectory(System.IO.Path.Combine(AppContext.BaseDirectory, "sample-disk")).FullName;
        var path = System.IO.Path.Combine(dir, "sample.raw");
        var start = new ProcessStartInfo(System.IO.Path.Combine(RepoRoot, "scripts", "make-sample-disk.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(path);
        start.ArgumentList.Add("64");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"make-sample-disk.sh failed: {await error}");
        return path;
    }
}
