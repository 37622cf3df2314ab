namespace Imprint.Agent.Tests.TestGuests;

/// <summary>The theory form of <see cref="GuestMatrixFactAttribute"/>: one row per guest, same switch.</summary>
public sealed class GuestMatrixTheoryAttribute : TheoryAttribute
{
    public GuestMatrixTheoryAttribute()
    {
        Skip = GuestMatrixFactAttribute.WhySkipped;
    }
}
