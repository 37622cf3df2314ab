using System.Security.Cryptography;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Formats;
using Imprint.Agent.Inspection;
using Imprint.Agent.Lvm;
using Imprint.Agent.Partitions;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// Runs mutated images through the reading engine in process: format detection, the partition table reader, the
/// filesystem probes, the LVM metadata reader and (for a share of inputs) the whole inspector with debugfs. Every input must end normally or in
/// an <see cref="ImprintException"/> with a documented code other than 1, within a time limit, and leave the file as
/// it was.
/// </summary>
public static class ParserFuzzer
{
    public static readonly TimeSpan PerInputTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How inputs ended, by outcome ("ok", "exit 4", ...), to show the fuzzer reaches the error paths.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, int> Outcomes { get; } = new();

    /// <summary>Checks one image file with the fast readers; returns the problem, or null when the promise held.</summary>
    public static string? CheckReaders(string path) => Guard(() =>
    {
        ImageFormatDetector.Detect(path);
        using var disk = DiskImage.OpenRead(path);
        var table = PartitionTableReader.Read(disk);
        var ranges = table.Kind == PartitionTableKind.None ? [disk.WholeDisk] : table.Partitions.Select(p => p.Range).ToList();
        foreach (var range in ranges)
        {
            FileSystemProbe.Probe(disk, range);
            ExtBackupSuperblock.Find(disk, range);
        }

        LvmVolumeFinder.Find(disk, table.Kind == PartitionTableKind.None ? [new Partition(0, disk.WholeDisk, 0, 0, "none", "whole disk", null, null, 0, false, false)] : table.Partitions);

        return Task.CompletedTask;
    });

    /// <summary>Runs the full inspector (debugfs included) and checks the file was not changed.</summary>
    public static string? CheckInspector(string path)
    {
        var before = Hash(path);
        var problem = Guard(() => DiskInspector.InspectAsync(path, CancellationToken.None));
        return problem ?? (Hash(path) == before ? null : "inspection changed the image");
    }

    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static string? Guard(Func<Task> body)
    {
        var run = Task.Run(async () =>
        {
            try
            {
                await body().ConfigureAwait(false);
                Outcomes.AddOrUpdate("ok", 1, (_, n) => n + 1);
                return null;
            }
            catch (ImprintException ex) when (ex.Code is not ExitCode.InternalError and not ExitCode.Success)
            {
                // LVM errors counted apart, to show mutations reach the metadata parser behind its checksums.
                var lvm = ex.Message.StartsWith("malformed LVM metadata", StringComparison.Ordinal) ? " (LVM)" : string.Empty;
                Outcomes.AddOrUpdate($"exit {(int)ex.Code}{lvm}", 1, (_, n) => n + 1);
                return null;
            }
            catch (Exception ex)
            {
                return $"{ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}";
            }
        });
        return run.Wait(PerInputTimeout) ? run.Result : $"no answer within {PerInputTimeout.TotalSeconds} s (hang)";
    }
}
