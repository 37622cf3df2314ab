namespace Imprint.Agent.Customization.Passwords;

/// <summary>
/// One /etc/shadow line. <see cref="LastChanged"/> is days since 1970-01-01 (null when empty: aging off); the aging
/// fields stay text because empty and numeric values mean different things and are written back untouched.
/// </summary>
public sealed record ShadowEntry(string Name, string Password, long? LastChanged, string MinDays, string MaxDays, string WarnDays, string InactiveDays, string Expire)
{
    /// <summary>Locked like <c>passwd -l</c> or never usable for password login ("!", "!!", "*").</summary>
    public bool IsLocked => Password.StartsWith('!') || Password.StartsWith('*');
}
