using System.Text.Json.Serialization;
using YamlDotNet.Serialization;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// What to change in a clone. The same Kubernetes-style camelCase shape as a VmClone's <c>spec.customize</c>, read
/// from YAML or JSON. Secrets are never inline: a root password comes from a file (the agent Job mounts the Secret
/// there). Properties stay settable so the CLI can lay its shortcut options over a loaded file.
/// </summary>
public sealed record CustomizationSpec
{
    public const string Regenerate = "Regenerate";
    public const string Keep = "Keep";

    /// <summary>RFC 1123 host name, lowercase (see <see cref="CustomizationSpecValidator.HostnameProblem"/>).</summary>
    public string? Hostname { get; set; }

    /// <summary>Extra /etc/hosts entries, kept in a marked block so re-runs replace rather than append.</summary>
    public List<HostEntrySpec>? Hosts { get; set; }

    public DnsSpec? Dns { get; set; }

    public RootPasswordSpec? RootPassword { get; set; }

    /// <summary>Guest accounts: created when missing, given SSH authorized keys and supplementary groups.</summary>
    public List<UserSpec>? Users { get; set; }

    /// <summary><see cref="Regenerate"/> (default) or <see cref="Keep"/>.</summary>
    public string? SshHostKeys { get; set; }

    /// <summary><see cref="Regenerate"/> (default) or <see cref="Keep"/>.</summary>
    public string? MachineId { get; set; }

    /// <summary>IANA zone name such as Europe/Berlin.</summary>
    public string? Timezone { get; set; }

    public NetworkSpec? Network { get; set; }

    public List<FileSpec>? Files { get; set; }

    /// <summary>Shell commands run once at the clone's first boot (systemd guests only), in order.</summary>
    public List<string>? FirstBootCommands { get; set; }

    [JsonIgnore]
    [YamlIgnore]
    public bool RegenerateSshHostKeys => SshHostKeys is null or Regenerate;

    [JsonIgnore]
    [YamlIgnore]
    public bool RegenerateMachineId => MachineId is null or Regenerate;

    /// <summary>Every problem in the spec, each prefixed with its field path; empty when valid.</summary>
    public IReadOnlyList<string> ValidationErrors() => CustomizationSpecValidator.Errors(this);

    /// <summary>Throws <see cref="Errors.ImprintException"/> (Usage) listing every problem at once.</summary>
    public void Validate() => CustomizationSpecValidator.Validate(this);
}
