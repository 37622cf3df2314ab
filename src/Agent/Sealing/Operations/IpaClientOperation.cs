namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove IPA client enrolment files.</summary>
public sealed class IpaClientOperation : DeleteMatchingOperation
{
    public override string Name => "ipa-client";

    public override string Description => "Remove IPA client enrolment files.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/ipa/ca.crt",
        "/etc/ipa/default.conf",
        "/var/lib/ipa-client/sysrestore/*",
        "/var/lib/ipa-client/pki/*",
        "/etc/krb5.conf.ipa",
    ];
}
