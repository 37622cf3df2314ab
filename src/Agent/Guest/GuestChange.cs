namespace Imprint.Agent.Guest;

/// <summary>One change an edit made (or would make) to a guest path, for results and dry runs.</summary>
public sealed record GuestChange(GuestEditOperationKind Operation, string Path, GuestChangeAction Action, string? Detail = null)
{
    public bool IsChange => Action is not (GuestChangeAction.Unchanged or GuestChangeAction.Missing);
}
