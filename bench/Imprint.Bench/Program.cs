using System.Diagnostics;
using System.Globalization;
using Imprint.Agent.Customization;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Ext;
using Imprint.Agent.Inspection;
using Imprint.Agent.Sealing;

// Edit-time benchmark run by `make bench`: inspect + seal + customize on copies of one disk, in process, so the
// number is the engine's work (one cold run, then warm runs), not .NET start-up. Usage: Imprint.Bench DISK SPEC RUNS
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Imprint.Bench DISK SPEC RUNS");
    return 2;
}

var disk = args[0];
var spec = CustomizationSpecLoader.Load(args[1]);
var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
var times = new List<double>();
var editTimes = new List<double>();
for (var i = 0; i <= runs; i++)
{
    var copy = disk + ".edit";
    File.Delete(copy);
    Process.Start("cp", ["--sparse=always", disk, copy])!.WaitForExit();

    // Write the copy's dirty pages back first: otherwise the first read pays for cp's writeback, which in a real
    // clone is part of the copy (SparseCopier flushes before customizing).
    Process.Start("sync", ["-f", copy])!.WaitForExit();
    var stopwatch = Stopwatch.StartNew();
    var inspection = await DiskInspector.InspectAsync(copy, CancellationToken.None).ConfigureAwait(false);
    var root = DiskInspector.RequireRoot(inspection);
    var inspected = stopwatch.Elapsed.TotalMilliseconds;
    var fs = new ExtFileSystem(copy, root.Partition.Range);
    var seal = await Sealer.SealAsync(fs, SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None).ConfigureAwait(false);
    var customized = await Customizer.CustomizeAsync(new ExtFileSystem(copy, root.Partition.Range), inspection.Guest!, spec, new CustomizeOptions(), CancellationToken.None).ConfigureAwait(false);
    times.Add(stopwatch.Elapsed.TotalMilliseconds);
    editTimes.Add(stopwatch.Elapsed.TotalMilliseconds - inspected);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i}: {stopwatch.Elapsed.TotalMilliseconds:0} ms, of which inspection {inspected:0} ms ({seal.Changes.Count} seal + {customized.Changes.Count} customize changes)"));
    File.Delete(copy);
}

static double WarmMedian(List<double> values)
{
    var warm = values.Skip(1).Order().ToList();
    return warm.Count == 0 ? values[0] : warm[warm.Count / 2];
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{{\"coldMs\":{times[0]:0},\"warmMedianMs\":{WarmMedian(times):0},\"editColdMs\":{editTimes[0]:0},\"editWarmMedianMs\":{WarmMedian(editTimes):0},\"runs\":{runs}}}"));
return 0;
