using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// A 64 MiB sparse guest disk built once per test class by <c>scripts/make-sample-disk.sh</c> (GPT, BIOS-boot +
/// ext4 root, no root needed), with its SHA-256 and allocated bytes measured by the tests' own means.
/// </summary>
public sealed class SampleDisk : IDisposable
{
    private readonly TempDirectory _temp = new();

    public SampleDisk()
    {
        Path = _temp.File("sample.raw");
        Sh.Run("bash", System.IO.Path.Combine(RepositoryRoot(), "scripts", "make-sample-disk.sh"), Path, "64");
        Sha256 = Sh.Sha256(Path);
        Allocated = AllocatedBytes(Path);
    }

    public string Path { get; }

    public string Sha256 { get; }

    public long Allocated { get; }

    /// <summary>Bytes allocated to a file, from stat's block count (512-byte units) — independent of SEEK_DATA.</summary>
    public static long AllocatedBytes(string path) => long.Parse(Sh.Run("stat", "-c", "%b", path).Trim(), System.Globalization.CultureInfo.InvariantCulture) * 512;

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public void Dispose() => _temp.Dispose();
}
