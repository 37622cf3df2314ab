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

    /// <summary>
    /// How far the root partition and its filesystem reach, by the real tools: the partition's end from
    /// <c>sfdisk --json</c> and the filesystem's size from <c>dumpe2fs -h</c> (block count × block size).
    /// </summary>
    public static async Task<(long PartitionEnd, long PartitionBytes, long FilesystemBytes)> RootExtentAsync(string disk)
    {
        var root = DiskInspector.RequireRoot(await DiskInspector.InspectAsync(disk, CancellationToken.None)).Partition.Range;
        var (sfdiskExit, json) = await RunAsync("sfdisk", "--json", disk);
        Assert.True(sfdiskExit == 0, json);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var table = doc.RootElement.GetProperty("partitiontable");
        var sector = table.TryGetProperty("sectorsize", out var ss) ? ss.GetInt64() : 512;
        var partition = table.GetProperty("partitions").EnumerateArray().Single(p => p.GetProperty("start").GetInt64() * sector == root.Offset);
        var bytes = partition.GetProperty("size").GetInt64() * sector;
        var (dumpExit, header) = await RunAsync("dumpe2fs", "-h", $"{disk}?offset={root.Offset}");
        Assert.True(dumpExit == 0, header);
        long Field(string name) => long.Parse(
            header.Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        return (root.Offset + bytes, bytes, Field("Block count") * Field("Block size"));
    }

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
