namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove Puppet's data and logs.</summary>
public sealed class PuppetDataLogOperation : DeleteMatchingOperation
{
    public override string Name => "puppet-data-log";

    public override string Description => "Remove Puppet's data and logs.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/log/puppet/*",
        "/var/lib/puppet/*/*",
        "/opt/puppetlabs/puppet/cache/*",
    ];
}
