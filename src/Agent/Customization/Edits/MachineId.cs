using System.Security.Cryptography;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// The clone's /etc/machine-id. Each clone gets a fresh random id written at clone time, so its DHCP client id,
/// journal and systemd-networkd DUID differ from every sibling's from the very first boot. The sealed template
/// instead keeps an EMPTY /etc/machine-id (systemd then treats a boot as first boot), which avoids virt-sysprep's
/// flaw of baking one id into every clone made from an image. The id is 128 random bits shaped like a UUID v4, as
/// systemd's own <c>sd_id128_randomize</c> does, written as 32 lowercase hex digits and a newline.
/// </summary>
public static class MachineId
{
    public const string Path = "/etc/machine-id";

    /// <summary>What a sealed template holds: an empty file (not a missing one, which breaks read-only roots).</summary>
    public const string SealedContent = "";

    public static string NewId()
    {
        var bytes = RandomNumberGenerator.GetBytes(16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The file to write for <paramref name="id"/> (mode 0444, as systemd-machine-id-setup leaves it).</summary>
    public static GuestFile File(string id) => new(Path, id + "\n", 0b100_100_100);
}
