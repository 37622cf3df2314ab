namespace Imprint.Agent.Formats;

/// <summary>
/// Another file a container image tells its reader to open: a qcow2 backing file or external data file, a VMDK
/// extent or parent. <paramref name="Kind"/> says which, <paramref name="Name"/> is the name as the image spells it.
/// </summary>
public sealed record ImageReference(string Kind, string Name)
{
    public override string ToString() => $"{Kind} '{Name}'";
}
