namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove host-specific RPM database files (they are rebuilt).</summary>
public sealed class RpmDbOperation : DeleteMatchingOperation
{
    public override string Name => "rpm-db";

    public override string Description => "Remove host-specific RPM database files (they are rebuilt).";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/lib/rpm/__db.*",
    ];
}
