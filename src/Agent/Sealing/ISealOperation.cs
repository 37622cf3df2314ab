using Imprint.Agent.Guest;

namespace Imprint.Agent.Sealing;

/// <summary>
/// One named sealing operation, listed like <c>virt-sysprep --list-operations</c>. <see cref="PlanAsync"/> only reads;
/// applying the returned edits is the sealer's job.
/// </summary>
public interface ISealOperation
{
    /// <summary>The operation's name, as virt-sysprep spells it where one exists (e.g. <c>ssh-hostkeys</c>).</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Whether the default set includes it (virt-sysprep's Linux defaults).</summary>
    bool EnabledByDefault { get; }

    Task<IReadOnlyList<GuestEdit>> PlanAsync(IGuestReader guest, CancellationToken cancellationToken);
}
