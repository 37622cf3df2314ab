namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// A test of the full guest matrix (many appliance launches, minutes under TCG): it runs only with
/// <c>IMPRINT_GUEST_TESTS=1</c> (<c>make test-guests</c>) and where guestfish is installed, and is skipped with the
/// reason otherwise, so <c>make test</c> stays within its time budget.
/// </summary>
public sealed class GuestMatrixFactAttribute : FactAttribute
{
    public const string Switch = "IMPRINT_GUEST_TESTS";

    public GuestMatrixFactAttribute()
    {
        Skip = WhySkipped;
    }

    /// <summary>Null when the matrix runs; otherwise the reason printed for each skipped test.</summary>
    public static string? WhySkipped =>
        Environment.GetEnvironmentVariable(Switch) != "1" ? $"guest matrix: set {Switch}=1 (make test-guests) to run it"
        : GuestfishText.WhyUnavailable;
}
