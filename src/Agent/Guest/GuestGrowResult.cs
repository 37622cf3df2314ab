namespace Imprint.Agent.Guest;

/// <summary>A filesystem's size in bytes before and after a grow, and the engine that grew it.</summary>
public sealed record GuestGrowResult(string Engine, long OldSizeBytes, long NewSizeBytes)
{
    public bool Grew => NewSizeBytes > OldSizeBytes;
}
