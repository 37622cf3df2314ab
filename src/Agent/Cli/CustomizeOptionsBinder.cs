using System.CommandLine;
using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Cli;

/// <summary>The customization options shared by <c>customize</c> and <c>clone</c>: a spec file and shortcuts.</summary>
public sealed class CustomizeOptionsBinder
{
    public Option<FileInfo?> Spec { get; } = new("--spec") { Description = "YAML or JSON customization (the VmClone spec.customize shape)" };

    public Option<string?> Hostname { get; } = new("--hostname") { Description = "Set the hostname (overrides the spec)" };

    public Option<string?> Timezone { get; } = new("--timezone") { Description = "Set the timezone, e.g. Europe/Berlin" };

    public Option<FileInfo?> RootPasswordFile { get; } = new("--root-password-file") { Description = "File holding root's new password (hashed with SHA-512 crypt)" };

    public Option<bool> KeepHostKeys { get; } = new("--keep-ssh-host-keys") { Description = "Do not generate new SSH host keys" };

    public Option<bool> KeepMachineId { get; } = new("--keep-machine-id") { Description = "Do not write a new machine-id" };

    public Option<bool> Seal { get; } = new("--seal") { Description = "Seal first, in the same pass (one appliance launch on xfs/btrfs/LVM guests), as 'imprint seal' would" };

    public Option<string?> SealOperations { get; } = new("--seal-operations") { Description = "With --seal: the operations, as 'imprint seal --operations' takes them (default: defaults)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Spec);
        command.Options.Add(Hostname);
        command.Options.Add(Timezone);
        command.Options.Add(RootPasswordFile);
        command.Options.Add(KeepHostKeys);
        command.Options.Add(KeepMachineId);
        command.Options.Add(Seal);
        command.Options.Add(SealOperations);
    }

    /// <summary>True when any customization was asked for.</summary>
    public bool Any(ParseResult parse) =>
        parse.GetValue(Spec) is not null || parse.GetValue(Hostname) is not null || parse.GetValue(Timezone) is not null
        || parse.GetValue(RootPasswordFile) is not null || parse.GetValue(Seal);

    /// <summary>The seal operations to run first (<c>--seal</c>), or null; a list without <c>--seal</c> is a usage error.</summary>
    public IReadOnlyList<Sealing.ISealOperation>? SealFirst(ParseResult parse)
    {
        var list = parse.GetValue(SealOperations);
        if (!parse.GetValue(Seal))
        {
            return list is null ? null : throw Errors.ImprintException.Usage("--seal-operations needs --seal");
        }

        return Sealing.SealOperationCatalog.Select(list);
    }

    /// <summary>The spec file (if any) with the shortcut options applied on top, and the folder relative paths in it start
    /// from: the spec file's own folder (the current directory when there is no spec file).</summary>
    public (CustomizationSpec Spec, string BaseDirectory) Build(ParseResult parse)
    {
        var file = parse.GetValue(Spec);
        var spec = file is null ? new CustomizationSpec() : CustomizationSpecLoader.Load(file.FullName);
        spec.Hostname = parse.GetValue(Hostname) ?? spec.Hostname;
        spec.Timezone = parse.GetValue(Timezone) ?? spec.Timezone;
        if (parse.GetValue(RootPasswordFile) is { } password)
        {
            spec.RootPassword = new RootPasswordSpec { File = password.FullName };
        }

        if (parse.GetValue(KeepHostKeys))
        {
            spec.SshHostKeys = "Keep";
        }

        if (parse.GetValue(KeepMachineId))
        {
            spec.MachineId = "Keep";
        }

        CustomizationSpecValidator.Validate(spec);

        // Relative paths in a spec (secrets/root-password) name files beside it: the operator mounts customize.json
        // and secrets/ side by side in /etc/imprint/input, whatever the working directory is.
        var baseDirectory = file?.Directory?.FullName ?? Directory.GetCurrentDirectory();

        // Content files too large (or missing) are refused before any disk is opened or copied.
        FileContentStaging.Check(spec.Files, baseDirectory);
        return (spec, baseDirectory);
    }
}
