using System.Collections.Concurrent;
using System.Globalization;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// The matrix guests, each built once per test run (one appliance launch) and cached under the test output folder
/// (<c>test-guests/run-PID</c>); tests work on sparse copies. Folders of earlier runs whose process is gone are removed
/// when the first guest of a run is built. With <c>IMPRINT_TEST_GUESTS_DIR</c> set, images go there instead and stay
/// (<c>make bench</c> builds its xfs guest this way and works on copies).
/// </summary>
public static class TestGuestImages
{
    private static readonly ConcurrentDictionary<TestGuestKind, Lazy<(TestGuest Guest, string Path)>> Built = new();
    private const string KeepFolderVariable = "IMPRINT_TEST_GUESTS_DIR";
    private static readonly Lazy<string> RunFolder = new(CreateRunFolder);

    /// <summary>The cached golden image of <paramref name="kind"/>; never write to it.</summary>
    public static (TestGuest Guest, string Path) Golden(TestGuestKind kind) =>
        Built.GetOrAdd(kind, k => new Lazy<(TestGuest, string)>(() => BuildInto(k))).Value;

    /// <summary>A private sparse copy of the golden image of <paramref name="kind"/> at <paramref name="target"/>.</summary>
    public static TestGuest CopyTo(TestGuestKind kind, string target)
    {
        var (guest, path) = Golden(kind);
        Sh.Run("cp", "--sparse=always", path, target);
        return guest;
    }

    private static (TestGuest, string) BuildInto(TestGuestKind kind)
    {
        var image = Path.Combine(RunFolder.Value, $"{kind}.raw");
        if (File.Exists(image) && Environment.GetEnvironmentVariable(KeepFolderVariable) is { Length: > 0 })
        {
            return (TestGuestBuilder.Describe(kind) with { GoldenHostKey = File.ReadAllText(image + ".hostkey.pub") }, image);
        }

        var scratch = Path.Combine(RunFolder.Value, $"{kind}.scratch");
        Directory.CreateDirectory(scratch);
        try
        {
            var guest = TestGuestBuilder.Build(kind, image + ".part", scratch);
            File.WriteAllText(image + ".hostkey.pub", guest.GoldenHostKey);
            File.Move(image + ".part", image);
            return (guest, image);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string CreateRunFolder()
    {
        if (Environment.GetEnvironmentVariable(KeepFolderVariable) is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            return Path.GetFullPath(keep);
        }

        var parent = Path.Combine(AppContext.BaseDirectory, "test-guests");
        Directory.CreateDirectory(parent);
        foreach (var old in Directory.GetDirectories(parent, "run-*"))
        {
            if (int.TryParse(Path.GetFileName(old)["run-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Alive(pid))
            {
                Directory.Delete(old, recursive: true);
            }
        }

        var folder = Path.Combine(parent, $"run-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static bool Alive(int pid) => pid == Environment.ProcessId || Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");
}
