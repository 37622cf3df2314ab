namespace Imprint.Agent.Lvm;

/// <summary>One metadata area of a PV as read: where it is (from the PV start), its header and its committed text.</summary>
public sealed record LvmMetadataArea(LvmDiskArea Area, MetadataAreaHeader Header, byte[]? Text);
