using System.Diagnostics;
using Imprint.Agent.Ext;
using Imprint.Agent.Inspection;

namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>Reads a disk the agent produced with the real tools as oracles: debugfs (through the agent's reader), e2fsck, sgdisk.</summary>
public static class GuestDisk
{
    public static async Task<ExtFileSystem> RootAsync(string disk)
    {
        var inspection = await DiskInspector.InspectAsync(disk, CancellationToken.None);
        return new ExtFileSystem(disk, DiskInspector.RequireRoot(inspection).Partition.Range);
    }

    public static async Task<string?> ReadTextAsync(string disk, string guestPath) =>
        await (await RootAsync(disk)).TryReadTextAsync(guestPath);

    /// <summary>Exit code and output of a tool run on the disk (e.g. <c>sgdisk -v</c>).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/sbin";
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
