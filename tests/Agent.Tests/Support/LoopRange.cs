namespace Imprint.Agent.Tests.Support;

/// <summary>A loop device over a byte range of an image (a partition), for tools that only write devices (pvcreate).</summary>
public sealed class LoopRange : IDisposable
{
    public LoopRange(string image, long offset, long length)
    {
        Path = Sh.Run("losetup", "--find", "--show", "--offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--sizelimit", length.ToString(System.Globalization.CultureInfo.InvariantCulture), image).Trim();
    }

    public string Path { get; }

    public void Dispose() => Sh.RunResult("losetup", ["--detach", Path], accept: [0, 1]);
}
