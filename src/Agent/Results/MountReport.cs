namespace Imprint.Agent.Results;

/// <summary>An /etc/fstab entry mapped to the partition it names.</summary>
public sealed record MountReport(string MountPoint, string Spec, string FsType, int? Partition);
