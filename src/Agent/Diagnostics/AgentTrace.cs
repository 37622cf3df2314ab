using System.Diagnostics;
using System.Globalization;

namespace Imprint.Agent.Diagnostics;

/// <summary>
/// Where the agent's time goes, for <c>IMPRINT_TRACE=1</c> and <c>make bench</c>: named spans printed on stderr when
/// tracing is on, and process-wide counters (external tool runs and their wall time, scratch folders made) that the
/// benchmark reads whether tracing is on or not. Counters are cheap interlocked adds, so they are always kept.
/// </summary>
public static class AgentTrace
{
    private static long _toolRuns;
    private static long _toolTicks;
    private static long _scratchDirectories;
    private static long _debugfsRounds;

    /// <summary>True when <c>IMPRINT_TRACE=1</c>: spans and tool runs are printed on stderr.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("IMPRINT_TRACE") == "1";

    /// <summary>External processes run so far in this process.</summary>
    public static long ToolRuns => Interlocked.Read(ref _toolRuns);

    /// <summary>Batches of commands sent to debugfs (one-shot runs and rounds of a kept-open session).</summary>
    public static long DebugfsRounds => Interlocked.Read(ref _debugfsRounds);

    /// <summary>Summed wall time spent waiting for tools: one-shot runs and session rounds (runs may overlap).</summary>
    public static TimeSpan ToolTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _toolTicks));

    /// <summary>Temporary folders made so far (each costs a mkdir and a recursive delete).</summary>
    public static long ScratchDirectories => Interlocked.Read(ref _scratchDirectories);

    /// <summary>Starts a span; disposing it prints its duration when tracing is on.</summary>
    public static Span Start(string name) => new(name, Enabled ? Stopwatch.GetTimestamp() : 0);

    /// <summary>A long-lived tool process was started (its rounds are counted by <see cref="DebugfsRound"/>).</summary>
    public static void ProcessStarted(string tool)
    {
        Interlocked.Increment(ref _toolRuns);
        if (Enabled)
        {
            Write($"{tool} started");
        }
    }

    /// <summary>One batch of <paramref name="commands"/> answered by a kept-open debugfs.</summary>
    public static void DebugfsRound(int commands, long startTimestamp)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        Interlocked.Increment(ref _debugfsRounds);
        Interlocked.Add(ref _toolTicks, elapsed);
        if (Enabled)
        {
            Write($"debugfs round of {commands.ToString(CultureInfo.InvariantCulture)} commands in {Stopwatch.GetElapsedTime(0, elapsed).TotalMilliseconds:0.0} ms");
        }
    }

    public static void ToolRan(string tool, string detail, int exitStatus, long startTimestamp)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        Interlocked.Increment(ref _toolRuns);
        if (tool == "debugfs")
        {
            Interlocked.Increment(ref _debugfsRounds);
        }

        Interlocked.Add(ref _toolTicks, elapsed);
        if (Enabled)
        {
            Write($"{tool} {detail} … exit {exitStatus.ToString(CultureInfo.InvariantCulture)} in {Stopwatch.GetElapsedTime(0, elapsed).TotalMilliseconds:0.0} ms");
        }
    }

    public static void ScratchDirectoryMade() => Interlocked.Increment(ref _scratchDirectories);

    private static void Write(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"imprint: trace: +{Environment.TickCount64 % 100000,5} ms {message}"));

    /// <summary>A running span; a default instance (tracing off) does nothing.</summary>
    public readonly struct Span(string name, long started) : IDisposable
    {
        public void Dispose()
        {
            if (started != 0)
            {
                Write($"span {name}: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms");
            }
        }
    }
}
