namespace Imprint.Agent.Guest;

/// <summary>How a guest filesystem is opened: read-only for inspect and dry runs, read-write for edits and grows.</summary>
public enum GuestAccess
{
    ReadOnly,
    ReadWrite,
}
