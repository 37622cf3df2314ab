namespace Imprint.Agent.Tests.Support;

/// <summary>
/// What this machine lets the tests do, found by doing it once (not by reading an environment switch): attach a loop
/// device, mount a tmpfs. CI runs as root with both; elsewhere the tests that need them skip and say why.
/// </summary>
public static class HostAbilities
{
    private static readonly Lazy<string?> LoopProblem = new(() => Try(folder =>
    {
        var backing = Path.Combine(folder, "probe.img");
        TestDisks.CreateSparse(backing, 1024 * 1024);
        var attach = Sh.RunResult("losetup", ["--find", "--show", backing], accept: [0, 1, 2, 32]);
        if (attach.ExitStatus != 0)
        {
            return $"losetup cannot attach a loop device here: {attach.StandardError.Trim()}";
        }

        Sh.RunResult("losetup", ["--detach", attach.StandardOutput.Trim()], accept: [0, 1]);
        return null;
    }));

    private static readonly Lazy<string?> MountProblem = new(() => Try(folder =>
    {
        var mount = Sh.RunResult("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder], accept: [0, 1, 32]);
        if (mount.ExitStatus != 0)
        {
            return $"cannot mount a tmpfs here (needs root): {mount.StandardError.Trim()}";
        }

        Sh.RunResult("umount", [folder], accept: [0, 1, 32]);
        return null;
    }));

    /// <summary>Null when loop devices work; otherwise why not.</summary>
    public static string? WhyNoLoopDevices => LoopProblem.Value;

    /// <summary>Null when mounting (tmpfs, read-only remounts) works; otherwise why not.</summary>
    public static string? WhyNoMounts => MountProblem.Value;

    private static string? Try(Func<string, string?> probe)
    {
        using var folder = new TempDirectory();
        try
        {
            return probe(folder.Path);
        }
        catch (Exception ex) when (ex is Imprint.Agent.Tools.ToolFailedException or Imprint.Agent.Errors.ImprintException or IOException)
        {
            return ex.Message;
        }
    }
}
