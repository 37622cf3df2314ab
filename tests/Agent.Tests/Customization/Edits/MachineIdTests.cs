using Imprint.Agent.Customization.Edits;

namespace Imprint.Agent.Tests.Customization.Edits;

public sealed class MachineIdTests
{
    [Fact]
    public void New_ids_are_32_lowercase_hex_digits_with_uuid_v4_bits_and_unique()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => MachineId.NewId()).ToList();

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void The_file_holds_the_id_and_a_newline_read_only()
    {
        Assert.Equal(new GuestFile("/etc/machine-id", "0123456789abcdef0123456789abcdef\n", 0b100_100_100), MachineId.File("0123456789abcdef0123456789abcdef"));
        Assert.Empty(MachineId.SealedContent);
    }
}
