using Imprint.Agent.Tools;

namespace Imprint.Agent.Tests.Support;

/// <summary>Runs the real tools (sgdisk, sfdisk, mkfs, e2fsck, debugfs, blkid) that tests use to build and check images.</summary>
public static class Sh
{
    public static string Run(string tool, params string[] args) => RunResult(tool, args).StandardOutput;

    public static ToolResult RunResult(string tool, IEnumerable<string> args, string? stdin = null, int[]? accept = null) =>
        ToolRunner.RunAsync(tool, args, stdin, accept).GetAwaiter().GetResult();

    /// <summary>Runs <c>e2fsck -fn</c> on the filesystem at <paramref name="offset"/> and fails the test unless it is clean.</summary>
    public static void AssertFsckClean(string image, long offset)
    {
        var result = RunResult("e2fsck", ["-fn", $"{image}?offset={offset}"], accept: [0, 1, 2, 4, 8]);
        Assert.True(result.ExitStatus == 0, $"e2fsck -fn found problems (exit {result.ExitStatus}):\n{result.StandardOutput}\n{result.StandardError}");
    }

    /// <summary>Runs <c>sgdisk -v</c> and fails the test unless it reports no problems.</summary>
    public static void AssertGptValid(string image)
    {
        var result = RunResult("sgdisk", ["-v", image], accept: [0, 1, 2, 3, 4]);
        Assert.True(
            result.ExitStatus == 0 && result.StandardOutput.Contains("No problems found", StringComparison.Ordinal),
            $"sgdisk -v reports problems (exit {result.ExitStatus}):\n{result.StandardOutput}\n{result.StandardError}");
    }

    /// <summary>Reads a guest file with debugfs (the oracle, independent of our code).</summary>
    public static string DebugfsCat(string image, long offset, string guestPath) =>
        RunResult("debugfs", ["-R", $"cat \"{guestPath}\"", $"{image}?offset={offset}"]).StandardOutput;

    /// <summary>Returns debugfs' <c>stat</c> text for a guest path.</summary>
    public static string DebugfsStat(string image, long offset, string guestPath) =>
        RunResult("debugfs", ["-R", $"stat \"{guestPath}\"", $"{image}?offset={offset}"]).StandardOutput;

    public static string Sha256(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
