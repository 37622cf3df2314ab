namespace Imprint.Agent.Ext;

/// <summary>One change an edit made (or would make) to a guest path, for results and dry runs.</summary>
public sealed record ExtChange(ExtOperationKind Operation, string Path, ExtChangeAction Action, string? Detail = null)
{
    public bool IsChange => Action is not (ExtChangeAction.Unchanged or ExtChangeAction.Missing);
}
