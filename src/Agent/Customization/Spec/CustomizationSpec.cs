namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// What to change in a clone. The same camelCase shape as a VmClone's <c>spec.customize</c>, read from YAML or JSON.
/// Secrets are never inline: a root password comes from a file (the agent Job mounts the Secret there).
/// </summary>
public sealed class CustomizationSpec
{
    public string? Hostname { get; set; }

    public List<HostEntrySpec>? Hosts { get; set; }

    public DnsSpec? Dns { get; set; }

    public RootPasswordSpec? RootPassword { get; set; }

    public List<UserSpec>? Users { get; set; }

    /// <summary>Regenerate (default) or Keep.</summary>
    public string? SshHostKeys { get; set; }

    /// <summary>Regenerate (default) or Keep.</summary>
    public string? MachineId { get; set; }

    public string? Timezone { get; set; }

    public NetworkSpec? Network { get; set; }

    public List<FileSpec>? Files { get; set; }

    public List<string>? FirstBootCommands { get; set; }

    public bool RegenerateSshHostKeys => !string.Equals(SshHostKeys, "Keep", StringComparison.OrdinalIgnoreCase);

    public bool RegenerateMachineId => !string.Equals(MachineId, "Keep", StringComparison.OrdinalIgnoreCase);
}
