using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Imprint.Agent.Customization;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Diagnostics;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Sealing;

// Edit-time benchmark run by `make bench`: inspect + seal + customize on copies of one disk, in process, so the
// number is the engine's work (one cold run, then warm runs), not .NET start-up. Usage: Imprint.Bench DISK SPEC RUNS
// Each run also reports what it cost besides our own code: external tool runs and their summed wall time, scratch
// folders made, JIT time and methods compiled, assemblies loaded — the breakdown in docs/benchmarks.md.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Imprint.Bench DISK SPEC RUNS");
    return 2;
}

var disk = args[0];
var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
var times = new List<double>();
var editTimes = new List<double>();
var details = new List<string>();
for (var i = 0; i <= runs; i++)
{
    var copy = disk + ".edit";
    File.Delete(copy);
    Process.Start("cp", ["--sparse=always", disk, copy])!.WaitForExit();

    // Write the copy's dirty pages back first: otherwise the first read pays for cp's writeback, which in a real
    // clone is part of the copy (SparseCopier flushes before customizing).
    Process.Start("sync", ["-f", copy])!.WaitForExit();
    var tools = AgentTrace.ToolRuns;
    var toolTime = AgentTrace.ToolTime;
    var scratch = AgentTrace.ScratchDirectories;
    var rounds = AgentTrace.DebugfsRounds;
    var jit = JitInfo.GetCompilationTime();
    var methods = JitInfo.GetCompiledMethodCount();
    var stopwatch = Stopwatch.StartNew();

    // The spec is parsed in every run so its cold cost shows (specMs); an agent Job parses one too.
    var spec = CustomizationSpecLoader.Load(args[1]);
    var specMs = stopwatch.Elapsed.TotalMilliseconds;
    var inspection = await DiskInspector.InspectAsync(copy, CancellationToken.None).ConfigureAwait(false);
    var inspected = stopwatch.Elapsed.TotalMilliseconds - specMs;
    var inspectTools = AgentTrace.ToolRuns - tools;
    var editJit = JitInfo.GetCompilationTime();
    var editMethods = JitInfo.GetCompiledMethodCount();
    using var guest = await GuestRootOpener.OpenAsync(inspection, GuestAccess.ReadWrite, GuestFileSystemOpener.Default, CancellationToken.None).ConfigureAwait(false);
    var seal = await Sealer.SealAsync(guest.FileSystem, SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None).ConfigureAwait(false);
    var sealed_ = stopwatch.Elapsed.TotalMilliseconds;
    var customized = await Customizer.CustomizeAsync(guest.FileSystem, guest.Facts, spec, new CustomizeOptions(), CancellationToken.None).ConfigureAwait(false);
    var total = stopwatch.Elapsed.TotalMilliseconds;
    // Edit time = seal + customize; "with inspection" adds inspect. The spec parse is reported on its own (specMs).
    times.Add(total - specMs);
    editTimes.Add(total - specMs - inspected);
    var detail = string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"run\":{i},\"totalMs\":{total:0.0},\"specMs\":{specMs:0.0},\"inspectMs\":{inspected:0.0},\"sealMs\":{sealed_ - inspected - specMs:0.0},\"customizeMs\":{total - sealed_:0.0},\"toolRuns\":{AgentTrace.ToolRuns - tools},\"inspectToolRuns\":{inspectTools},\"toolWallMs\":{(AgentTrace.ToolTime - toolTime).TotalMilliseconds:0.0},\"scratchDirectories\":{AgentTrace.ScratchDirectories - scratch},\"jitMs\":{(JitInfo.GetCompilationTime() - jit).TotalMilliseconds:0.0},\"methodsJitted\":{JitInfo.GetCompiledMethodCount() - methods},\"editJitMs\":{(JitInfo.GetCompilationTime() - editJit).TotalMilliseconds:0.0},\"editMethodsJitted\":{JitInfo.GetCompiledMethodCount() - editMethods},\"debugfsRounds\":{AgentTrace.DebugfsRounds - rounds},\"assemblies\":{AppDomain.CurrentDomain.GetAssemblies().Length}}}");
    details.Add(detail);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i}: {total - specMs:0} ms, of which inspection {inspected:0} ms ({seal.Changes.Count} seal + {customized.Changes.Count} customize changes) {detail}"));
    File.Delete(copy);
}

static double WarmMedian(List<double> values)
{
    var warm = values.Skip(1).Order().ToList();
    return warm.Count == 0 ? values[0] : warm[warm.Count / 2];
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{{\"coldMs\":{times[0]:0},\"warmMedianMs\":{WarmMedian(times):0},\"editColdMs\":{editTimes[0]:0},\"editWarmMedianMs\":{WarmMedian(editTimes):0},\"runs\":{runs},\"cold\":{details[0]},\"warm\":{details[^1]}}}"));
return 0;
