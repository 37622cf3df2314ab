using Imprint.Agent.Appliance;

namespace Imprint.Agent.Tests.Support;

/// <summary>
/// Runs guestfish, libguestfs' own shell, as an oracle and to build test guests without root. Each run is one
/// appliance launch (~15-20 s under TCG), so callers batch a whole script into one run. The backend is the one the
/// agent uses (direct, TCG unless /dev/kvm opens).
/// </summary>
public static class Guestfish
{
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["LIBGUESTFS_BACKEND"] = ApplianceBackend.Name,
        ["LIBGUESTFS_BACKEND_SETTINGS"] = string.Join(':', ApplianceBackend.Settings),
    };

    /// <summary>Runs <paramref name="script"/> against the given drives (raw, read-write unless <paramref name="readOnly"/>) and returns its output.</summary>
    public static string Run(string script, bool readOnly, params string[] drives)
    {
        var args = new List<string> { readOnly ? "--ro" : "--rw" };
        foreach (var drive in drives)
        {
            args.AddRange(["--format=raw", "-a", drive]);
        }

        return RunWith(args, "run\n" + script);
    }

    /// <summary>Runs <paramref name="script"/> as given (no implicit <c>run</c>) with guestfish's own arguments, e.g.
    /// <c>-N file=disk:64M</c> to create and launch on new disks; fails unless guestfish exits 0.</summary>
    public static string RunWith(IEnumerable<string> arguments, string script)
    {
        var result = Imprint.Agent.Tools.ToolRunner.RunAsync("guestfish", [.. arguments], script, acceptedExitStatuses: [0, 1], environment: Environment)
            .GetAwaiter().GetResult();
        Assert.True(result.ExitStatus == 0, $"guestfish failed (exit {result.ExitStatus}):\n{result.StandardError}\nscript:\n{script}");
        return result.StandardOutput;
    }
}
