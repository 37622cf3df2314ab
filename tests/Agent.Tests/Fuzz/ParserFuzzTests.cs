using System.Diagnostics;
using Imprint.Agent.Tests.Support;
using Xunit.Abstractions;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// Seeded, time-bounded fuzzing of everything that reads an untrusted image (issue 10, "Done means"): mutated GPT and
/// MBR tables, ext superblocks and qcow2/vmdk/vhdx headers, most in process against the engine and a smaller number
/// through the real <c>imprint</c> process. <c>make fuzz</c> runs the same tests longer (see <see cref="FuzzSettings"/>).
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    // Exit codes README documents for an input: success, not found, malformed, unsupported, cannot satisfy, tool
    // failed, not writable. 1 (a bug), 2 (usage) and anything undocumented are failures.
    private static readonly int[] DocumentedExits = [0, 3, 4, 5, 6, 7, 8];

    [Fact]
    public void Mutated_images_end_in_a_documented_error_in_process_without_hanging_or_changing_the_file()
    {
        var settings = FuzzSettings.FromEnvironment();
        var images = FuzzCorpus.All;
        using var temp = new TempDirectory();
        var scratch = Directory.Exists("/dev/shm") ? Directory.CreateTempSubdirectory("imprint-fuzz-") : null;
        var failures = new List<FuzzFailure>();
        var stopwatch = Stopwatch.StartNew();
        const int InspectEvery = 250;
        const int Workers = 2;
        var runs = new int[Workers];
        var inspected = 0;
        Parallel.For(0, Workers, worker =>
        {
            // Each worker mutates its own copies of the seed images; worker w takes inputs w, w + Workers, ...
            // Mutated in place on a tmpfs when there is one: 10,000 inputs are mostly small writes and reopens.
            var folder = scratch?.FullName ?? temp.Path;
            var files = images.Select(i => new MutableImageFile(i, Path.Combine(folder, $"{worker}-{i.Name}"))).ToArray();
            for (var input = worker; input < settings.Inputs && KeepGoing(input); input += Workers)
            {
                var which = input % images.Count;
                var image = images[which];
                var mutations = MutationGenerator.For(image, settings.Seed, input);
                string? problem;
                if (input % InspectEvery == 0)
                {
                    // A fresh name each time: the inspector keeps a parked debugfs session per image path.
                    var (bytes, length) = Apply(image, mutations);
                    var path = temp.File($"inspect-{input}.img");
                    WriteImage(path, bytes, length);
                    problem = ParserFuzzer.CheckReaders(path) ?? ParserFuzzer.CheckInspector(path);
                    File.Delete(path);
                    Interlocked.Increment(ref inspected);
                }
                else
                {
                    files[which].Apply(mutations);
                    problem = ParserFuzzer.CheckReaders(files[which].Path);
                    files[which].Restore();
                }

                runs[worker]++;
                if (problem is not null)
                {
                    lock (failures)
                    {
                        failures.Add(new FuzzFailure(image.Name, settings.Seed, input, mutations, problem));
                    }
                }
            }

            foreach (var file in files)
            {
                file.Dispose();
            }
        });
        scratch?.Delete(recursive: true);
        var run = runs.Sum();

        // The floor is reached even past the budget (a loaded machine), but never past twice the budget.
        bool KeepGoing(int input) => stopwatch.Elapsed < settings.Budget || (input < FuzzSettings.MinimumInputs && stopwatch.Elapsed < settings.Budget * 2);
        var outcomes = string.Join(", ", ParserFuzzer.Outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}"));
        output.WriteLine($"fuzz in process: {run} inputs ({inspected} through the whole inspector) over {images.Count} seed images in {stopwatch.Elapsed.TotalSeconds:F1} s, seed {settings.Seed}, {failures.Count} failures; outcomes {outcomes}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {run} inputs broke the promise; first ones:\n{string.Join("\n", failures.Take(5))}");
        Assert.True(run >= Math.Min(settings.Inputs, FuzzSettings.MinimumInputs), $"only {run} inputs ran within {2 * settings.Budget.TotalSeconds} s");
    }

    [Fact]
    public async Task Mutated_images_through_the_real_cli_exit_with_a_documented_code_and_stay_unchanged()
    {
        var settings = FuzzSettings.FromEnvironment();
        var images = FuzzCorpus.All;
        using var temp = new TempDirectory();
        var failures = new List<FuzzFailure>();
        var stopwatch = Stopwatch.StartNew();
        var run = 0;
        var gate = new SemaphoreSlim(2);
        var tasks = new List<Task>();
        for (; run < settings.CliInputs && stopwatch.Elapsed < settings.Budget; run++)
        {
            var input = run;
            var image = images[input % images.Count];
            await gate.WaitAsync();
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    // Inputs of the CLI part use their own numbers, after the in-process ones, so they differ from them.
                    var mutations = MutationGenerator.For(image, settings.Seed, 1_000_000 + input);
                    var (bytes, length) = Apply(image, mutations);
                    var path = temp.File($"cli-{input}.{image.Name}");
                    WriteImage(path, bytes, length);
                    var hash = ParserFuzzer.Hash(path);
                    // Disks go through inspect (tables, probes, debugfs); containers through convert (qemu-img check + convert).
                    var isContainer = image.Name is "qcow2" or "vmdk" or "vhdx";
                    var args = isContainer ? new[] { "convert", path, temp.File($"cli-{input}.out.raw") } : ["inspect", path, "--json"];
                    {
                        var (exit, stderr) = await ImprintProcess.RunAsync(args, TimeSpan.FromSeconds(120));
                        var problem = !DocumentedExits.Contains(exit) ? $"imprint {args[0]} exited {exit}: {stderr}"
                            : stderr.Contains("   at ", StringComparison.Ordinal) ? $"imprint {args[0]} printed a stack trace: {stderr}"
                            : ParserFuzzer.Hash(path) != hash ? $"imprint {args[0]} changed its input"
                            : null;
                        if (problem is not null)
                        {
                            lock (failures)
                            {
                                failures.Add(new FuzzFailure(image.Name, settings.Seed, 1_000_000 + input, mutations, problem));
                            }
                        }
                    }

                    File.Delete(path);
                    File.Delete(temp.File($"cli-{input}.out.raw"));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
        output.WriteLine($"fuzz through the CLI: {run} inputs (disks through inspect, containers through convert) in {stopwatch.Elapsed.TotalSeconds:F1} s, seed {settings.Seed}, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{failures.Count} CLI runs broke the promise; first ones:\n{string.Join("\n", failures.Take(5))}");
    }

    private static (byte[] Bytes, int Length) Apply(FuzzSeedImage image, IReadOnlyList<Mutation> mutations)
    {
        var bytes = (byte[])image.Bytes.Clone();
        var length = bytes.Length;
        foreach (var mutation in mutations)
        {
            length = mutation.ApplyTo(bytes, length);
        }

        return (bytes, length);
    }

    private static void WriteImage(string path, byte[] bytes, int length)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write(bytes, 0, length);
    }
}
