namespace Imprint.Agent.Guest;

/// <summary>What an edit did (or would do) to one guest path.</summary>
public enum GuestChangeAction
{
    Created,
    Overwritten,
    Deleted,
    Truncated,
    /// <summary>Mode or owner changed, content kept.</summary>
    Modified,
    /// <summary>The path already was as requested; nothing written.</summary>
    Unchanged,
    /// <summary>The path to delete did not exist; nothing written.</summary>
    Missing,
}
