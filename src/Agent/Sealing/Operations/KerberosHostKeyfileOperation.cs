namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove the Kerberos host keytab.</summary>
public sealed class KerberosHostKeyfileOperation : DeleteMatchingOperation
{
    public override string Name => "kerberos-hostkeyfile";

    public override string Description => "Remove the Kerberos host keytab.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/krb5.keytab",
    ];
}
