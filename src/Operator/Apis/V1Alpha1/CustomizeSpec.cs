using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Everything written into the cloned guest before its first boot.</summary>
[Description("Changes written into the cloned disk before its first boot (offline: the guest never runs during this).")]
public sealed class CustomizeSpec
{
    [MaxLength(64)]
    [Pattern(SchemaPatterns.Rfc1123Hostname)]
    [Description("Host name (RFC 1123: lower-case letters, digits, hyphens, dots; at most 64 characters, the Linux limit).")]
    public string? Hostname { get; set; }

    [ListMap("ip")]
    [MaxItems(64)]
    [Description("Extra /etc/hosts entries.")]
    public IList<HostEntry>? Hosts { get; set; }

    [Description("Resolver settings.")]
    public DnsSpec? Dns { get; set; }

    [Description("Set or lock root's password.")]
    public RootPasswordSpec? RootPassword { get; set; }

    [ListMap("name")]
    [MaxItems(16)] // 16 users x 16 keys keeps a CloneTemplate's placeholder rule on every key within the API server's CEL cost limit
    [Description("Accounts to create if missing, with SSH authorized keys and supplementary groups.")]
    public IList<UserSpec>? Users { get; set; }

    [Default(RegeneratePolicy.Regenerate)]
    [Description("Regenerate (new SSH host keys, reported in status.sshHostKeys) or Keep the golden's.")]
    public RegeneratePolicy? SshHostKeys { get; set; }

    [Default(RegeneratePolicy.Regenerate)]
    [Description("Regenerate (a new /etc/machine-id) or Keep the golden's.")]
    public RegeneratePolicy? MachineId { get; set; }

    [MaxLength(64)]
    [Pattern("^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")]
    [Description("IANA time zone, e.g. Europe/Berlin or UTC.")]
    public string? Timezone { get; set; }

    [Description("Guest network configuration.")]
    public NetworkSpec? Network { get; set; }

    [ListMap("path")]
    [MaxItems(64)]
    [Description("Files to write.")]
    public IList<FileSpec>? Files { get; set; }

    [MaxItems(32)]
    [MaxLength(4096)]
    [Description("Shell commands run once, in order, at the first boot (by a one-shot systemd unit).")]
    public IList<string>? FirstBootCommands { get; set; }
}
