using System.Security.Cryptography;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// A clone's machine-id: 32 lowercase hex digits, random, shaped like systemd's (UUID v4 bits). Writing it at clone
/// time (rather than leaving the sealed template's empty file for first boot) means the clone's identity — DHCP
/// client ID, journal, networkd DUID — is fixed and distinct before it ever boots.
/// </summary>
public static class MachineIds
{
    public static string NewId()
    {
        var bytes = RandomNumberGenerator.GetBytes(16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes);
    }
}
