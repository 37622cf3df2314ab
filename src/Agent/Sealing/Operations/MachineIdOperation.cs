using Imprint.Agent.Ext;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Sealing.Operations;

/// <summary>
/// Empties /etc/machine-id so systemd makes a new one at first boot (an empty file, not a missing one: a missing
/// file makes systemd treat the boot as "first boot" with presets, and read-only-root guests cannot create it).
/// Unlike virt-sysprep's old behaviour, no fresh id is baked into the template, or every clone would share it;
/// <c>imprint customize</c> writes a new id per clone. /var/lib/dbus/machine-id goes too unless it is the usual
/// symlink to /etc/machine-id.
/// </summary>
public sealed class MachineIdOperation : ISealOperation
{
    public string Name => "machine-id";

    public string Description => "Empty /etc/machine-id (systemd makes a new one at first boot) and remove dbus' copy.";

    public bool EnabledByDefault => true;

    public async Task<IReadOnlyList<GuestEdit>> PlanAsync(IGuestReader guest, CancellationToken cancellationToken)
    {
        var edits = new List<GuestEdit>();
        var machineId = await guest.StatAsync("/etc/machine-id", cancellationToken).ConfigureAwait(false);
        if (machineId is { Kind: GuestFileKind.File, Size: > 0 })
        {
            edits.Add(new GuestEdit(Name, "/etc/machine-id", GuestEditKind.Truncate));
        }

        var dbus = await guest.StatAsync("/var/lib/dbus/machine-id", cancellationToken).ConfigureAwait(false);
        if (dbus is { Kind: GuestFileKind.File })
        {
            edits.Add(new GuestEdit(Name, "/var/lib/dbus/machine-id", GuestEditKind.Delete));
        }

        return edits;
    }
}
