using System.Globalization;
using Imprint.Agent.Disk;
using Imprint.Agent.Units;

namespace Imprint.Agent.Cli;

/// <summary>
/// Shows copy/convert progress: a bar redrawn in place on a terminal, or one JSON line per second that the
/// controller can read from the pod log (the agent needs no API access to report progress).
/// </summary>
public sealed class ProgressRenderer(TextWriter writer, ProgressMode mode, string stage, string? planStep = null) : IProgress<CopyProgress>
{
    private readonly Lock _lock = new();
    private long _lastLineTicks;
    private bool _barDrawn;

    public static ProgressMode Resolve(ProgressMode requested) =>
        requested == ProgressMode.Auto ? (Console.IsErrorRedirected ? ProgressMode.None : ProgressMode.Bar) : requested;

    public void Report(CopyProgress value)
    {
        lock (_lock)
        {
            switch (mode)
            {
                case ProgressMode.Bar:
                    DrawBar(value);
                    break;
                case ProgressMode.Lines:
                    var now = Environment.TickCount64;
                    if (now - _lastLineTicks >= 1000 || value.BytesDone >= value.BytesTotal)
                    {
                        _lastLineTicks = now;
                        writer.WriteLine(FormatLine(stage, value, planStep));
                        writer.Flush();
                    }

                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>
    /// The JSON progress line format (also parsed by the operator): one object per line; inside a plan the step's name
    /// comes first (<c>"step":"customize"</c>), which is how the operator knows which step is running.
    /// </summary>
    public static string FormatLine(string stage, CopyProgress value, string? planStep = null) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"progress\":{{{(planStep is null ? "" : $"\"step\":\"{planStep}\",")}\"stage\":\"{stage}\",\"fraction\":{value.Fraction:0.####},\"bytesDone\":{value.BytesDone},\"bytesTotal\":{value.BytesTotal},\"bytesPerSecond\":{value.Rate:0}}}}}");

    /// <summary>Ends the bar line so the next output starts on a fresh line.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_barDrawn)
            {
                writer.WriteLine();
                _barDrawn = false;
            }
        }
    }

    private void DrawBar(CopyProgress value)
    {
        const int width = 30;
        var filled = (int)Math.Round(value.Fraction * width);
        var bar = new string('#', filled) + new string('.', width - filled);
        writer.Write(string.Create(
            CultureInfo.InvariantCulture,
            $"\r{stage,-10} [{bar}] {value.Fraction * 100,5:0.0}%  {ByteSize.Format(value.BytesDone)} / {ByteSize.Format(value.BytesTotal)}  {ByteSize.Format((long)value.Rate)}/s   "));
        writer.Flush();
        _barDrawn = true;
    }
}
