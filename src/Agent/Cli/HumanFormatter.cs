using System.Globalization;
using System.Text;
using Imprint.Agent.Results;
using Imprint.Agent.Units;

namespace Imprint.Agent.Cli;

/// <summary>Renders an <see cref="AgentResult"/> for people: one block per section the command produced.</summary>
public static class HumanFormatter
{
    public static string Format(AgentResult result)
    {
        var text = new StringBuilder();
        foreach (var step in result.Steps ?? [])
        {
            text.AppendLine(Invariant($"step {step.Step} ({step.Command}): {(step.Ok ? "ok" : $"failed, exit code {step.ExitCode}")} in {step.DurationMs} ms"));
            text.Append(Format(step));
        }

        if (result.Copy is { } copy)
        {
            text.AppendLine(Invariant($"copied:     {ByteSize.Format(copy.SourceSize)} disk via {copy.Method} ({string.Join(" → ", copy.SourceFormats)}), read {ByteSize.Format(copy.BytesRead)}, wrote {ByteSize.Format(copy.BytesWritten)} in {copy.DurationMs} ms"));
            if (copy.Sha256 is not null)
            {
                text.AppendLine(Invariant($"verified:   sha256 {copy.Sha256}"));
            }

            if (copy.Checksum is not null)
            {
                text.AppendLine(Invariant($"checksum:   {copy.Checksum}"));
            }
        }

        if (result.Resize is { } resize)
        {
            text.AppendLine(Invariant($"disk:       {ByteSize.Format(resize.OldDiskSize)} → {ByteSize.Format(resize.NewDiskSize)}"));
            if (resize.Partition is { } number)
            {
                text.AppendLine(Invariant($"partition:  {number}: {ByteSize.Format(resize.OldPartitionSize ?? 0)} → {ByteSize.Format(resize.NewPartitionSize ?? 0)}{(resize.BackupGptMoved ? " (backup GPT moved to the new end)" : string.Empty)}"));
            }

            if (resize.Filesystem is not null)
            {
                text.AppendLine(Invariant($"filesystem: {resize.Filesystem}: {ByteSize.Format(resize.OldFilesystemSize ?? 0)} → {ByteSize.Format(resize.NewFilesystemSize ?? 0)}"));
            }
        }

        if (result.Fingerprint is { } fingerprint)
        {
            text.AppendLine(Invariant($"fingerprint: {fingerprint.Format}, {ByteSize.Format(fingerprint.Size)}{(fingerprint.Head is null ? string.Empty : $", first MiB sha256 {fingerprint.Head}, last MiB of {fingerprint.Length} bytes sha256 {fingerprint.Tail}")}"));
        }

        if (result.Shrink is { } shrink)
        {
            text.AppendLine(Invariant($"shrink:     {ByteSize.Format(shrink.OldDiskSize)} → {ByteSize.Format(shrink.NewDiskSize)} (minimum {ByteSize.Format(shrink.MinimumDiskSize)}){(shrink.DryRun ? ", dry run: nothing written" : string.Empty)}"));
            text.AppendLine(Invariant($"filesystem: {shrink.Filesystem}: {ByteSize.Format(shrink.OldFilesystemSize)} → {ByteSize.Format(shrink.NewFilesystemSize)} (resize2fs minimum {ByteSize.Format(shrink.MinimumFilesystemSize)})"));
        }

        if (result.Digest is { } digest)
        {
            text.AppendLine(Invariant($"digest:     {digest.Digest} ({ByteSize.Format(digest.DiskSize)} disk, {ByteSize.Format(digest.DataBytesRead)} read){(digest.Expected is null ? string.Empty : ", as expected")}"));
        }

        if (result.Disk is { } disk)
        {
            text.AppendLine(Invariant($"{disk.Path}: {ByteSize.Format(disk.Size)}, partition table: {disk.PartitionTable}"));
            text.AppendLine("  #  start        size         type                 filesystem  label        uuid");
            foreach (var p in disk.Partitions)
            {
                text.AppendLine(Invariant($"  {p.Number,-2} {ByteSize.Format(p.Start),-12} {ByteSize.Format(p.Size),-12} {Truncate(p.Type, 20),-20} {p.Filesystem ?? "-",-11} {Truncate(p.Label ?? "-", 12),-12} {p.Uuid ?? "-"}"));
            }
        }

        if (result.Guest is { } guest)
        {
            text.AppendLine(Invariant($"guest:      {guest.ProductName ?? guest.Distro ?? guest.Os} ({guest.Os}, {guest.Distro ?? "?"} {guest.Version ?? "?"}, {guest.Arch ?? "?"})"));
            text.AppendLine(Invariant($"  root: partition {guest.RootPartition?.ToString(CultureInfo.InvariantCulture) ?? "?"}, hostname: {guest.Hostname ?? "-"}, init: {guest.InitSystem ?? "-"}, packages: {guest.PackageFormat ?? "-"}, network: {guest.NetworkStyle ?? "-"}, cloud-init: {(guest.CloudInit ? "yes" : "no")}"));
            foreach (var mount in guest.Mounts ?? [])
            {
                text.AppendLine(Invariant($"  fstab: {mount.MountPoint,-12} {mount.Spec} ({mount.FsType}) → partition {mount.Partition?.ToString(CultureInfo.InvariantCulture) ?? "?"}"));
            }
        }

        if (result.Changes is { Count: > 0 } changes)
        {
            text.AppendLine(Invariant($"changes:    {changes.Count + result.ChangesOmitted}"));
            foreach (var change in changes)
            {
                text.AppendLine(Invariant($"  {change.Operation,-24} {change.Action,-12} {change.Path}"));
            }
        }

        if (result.MachineId is not null)
        {
            text.AppendLine(Invariant($"machine-id: {result.MachineId}"));
        }

        foreach (var key in result.SshHostKeys ?? [])
        {
            text.AppendLine(Invariant($"host key:   {key.Type,-8} {key.Fingerprint}"));
        }

        foreach (var warning in result.Warnings ?? [])
        {
            text.AppendLine(Invariant($"warning:    {warning}"));
        }

        text.AppendLine(Invariant($"done in {result.DurationMs} ms"));
        return text.ToString();
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
