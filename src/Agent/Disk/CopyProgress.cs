namespace Imprint.Agent.Disk;

/// <summary>A progress report of a long copy or conversion.</summary>
/// <param name="BytesDone">Bytes processed so far.</param>
/// <param name="BytesTotal">Bytes to process in all (data bytes for sparse copies).</param>
/// <param name="Elapsed">Time since the start.</param>
public sealed record CopyProgress(long BytesDone, long BytesTotal, TimeSpan Elapsed)
{
    public double Fraction => BytesTotal <= 0 ? 1 : Math.Clamp((double)BytesDone / BytesTotal, 0, 1);

    /// <summary>Bytes per second since the start.</summary>
    public double Rate => Elapsed.TotalSeconds <= 0 ? 0 : BytesDone / Elapsed.TotalSeconds;
}
