namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>
/// Runs with <c>IMPRINT_GUEST_TESTS=1</c> when the Rocky-like xfs guest the agent tests build is in
/// <c>IMPRINT_TEST_GUESTS_DIR</c> (make test-guests arranges both); skipped with the reason otherwise.
/// </summary>
public sealed class XfsGuestFactAttribute : FactAttribute
{
    public XfsGuestFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("IMPRINT_GUEST_TESTS") != "1")
        {
            Skip = "xfs guest end-to-end: set IMPRINT_GUEST_TESTS=1 (make test-guests) to run it";
        }
        else if (ImagePath is null)
        {
            Skip = "xfs guest end-to-end: no RockyXfs.raw in IMPRINT_TEST_GUESTS_DIR (make test-guests builds it with the agent tests first)";
        }
    }

    /// <summary>The built guest, or null when it is not there.</summary>
    public static string? ImagePath =>
        Environment.GetEnvironmentVariable("IMPRINT_TEST_GUESTS_DIR") is { Length: > 0 } dir && File.Exists(Path.Combine(dir, "RockyXfs.raw"))
            ? Path.Combine(dir, "RockyXfs.raw")
            : null;
}
