using System.Text;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Lvm;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Lvm;

/// <summary>
/// LVM metadata on a real PV (built by libguestfs, see <see cref="LvmGuestImages"/>), damaged or rewritten on purpose:
/// a broken checksum or hostile text is exit 4 "malformed LVM metadata" for every command with the image unchanged,
/// and a root LV in a layout the native path cannot address is refused natively (exit 5 naming the libguestfs engine,
/// which takes it when the build has one).
/// </summary>
public sealed class LvmMetadataOnDiskTests : IDisposable
{
    private const long PvOffset = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_metadata_area_header_with_a_wrong_checksum_is_malformed_lvm_metadata_for_every_command()
    {
        var disk = LvmGuestImages.CopyTo(LvmGuestImages.RootFirst, _temp);
        using (var image = DiskImage.OpenWrite(disk))
        {
            // raw_locn[0].size of the first metadata area (the PV label puts it at byte 4096 of the PV).
            var size = image.Read(new ByteRange(PvOffset + 4096 + 48, 1));
            image.Write(PvOffset + 4096 + 48, [(byte)(size[0] ^ 0x10)]);
        }

        await AssertMalformedEverywhere(disk, "the metadata area header at byte 4096 of the PV has a wrong checksum");
    }

    [Theory]
    [InlineData("first-vg {", "first-vg {{", "line 1 of the metadata text: unexpected '{' where a name belongs")]
    [InlineData("extent_size = 8192", "extent_size = 99999999999999999999", "is not a 64-bit integer")]
    [InlineData("pe_count = 15", "pe_count = 5", "uses extents 0–7 of pv0, which holds 5")]
    [InlineData("\"pv0\", 0", "\"pv7\", 0", "uses PV 'pv7'")]
    public async Task Checksummed_but_hostile_metadata_text_is_malformed_lvm_metadata(string from, string to, string problem)
    {
        var disk = LvmGuestImages.CopyTo(LvmGuestImages.RootFirst, _temp);
        RewriteText(disk, text => ReplaceFirst(text, from, to));

        await AssertMalformedEverywhere(disk, problem);
    }

    [Theory]
    [InlineData("type = \"striped\"", "type = \"thin\"", "it is a thin volume (not linear)")]
    [InlineData("stripe_count = 1\n\nstripes = [\n\"pv0\", 0\n]", "stripe_count = 2\n\nstripes = [\n\"pv0\", 0,\n\"pv0\", 8\n]", "it is striped over 2 areas")]
    public async Task A_root_lv_the_native_path_cannot_address_is_unsupported_and_left_to_libguestfs(string from, string to, string problem)
    {
        var disk = LvmGuestImages.CopyTo(LvmGuestImages.RootFirst, _temp);
        RewriteText(disk, text => ReplaceFirst(text, from, to));
        var hash = Sh.Sha256(disk);

        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);
        var inspection = await DiskInspector.InspectAsync(disk, CancellationToken.None);
        var native = Assert.Throws<ImprintException>(() => DiskInspector.RequireRoot(inspection));

        Assert.Equal(0, inspectExit);
        Assert.Contains(inspect.Warnings!, w => w.Contains($"LVM LV first-vg/root (PV on partition 1) is not read natively: {problem}", StringComparison.Ordinal));
        Assert.Equal(ExitCode.Unsupported, native.Code);
        Assert.Contains($"LVM LV first-vg/root (PV on partition 1) {problem}", native.Message, StringComparison.Ordinal);
        Assert.Contains("the libguestfs engine handles other LVM layouts", native.Message, StringComparison.Ordinal);
        if (GuestFileSystemOpener.Default.ApplianceEngine is null)
        {
            // Without an appliance engine in the build, the writing commands end with that refusal.
            var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
            var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "128M");
            foreach (var (exit, result) in new[] { (sealExit, seal), (resizeExit, resize) })
            {
                Assert.Equal((int)ExitCode.Unsupported, exit);
                Assert.Equal(native.Message, result.Error);
            }
        }

        Assert.Equal(hash, Sh.Sha256(disk));
    }

    private static async Task AssertMalformedEverywhere(string disk, string problem)
    {
        var hash = Sh.Sha256(disk);
        foreach (var command in new[] { new[] { "inspect", disk }, ["seal", disk], ["customize", disk, "--hostname", "x"], ["resize", disk, "--size", "128M"] })
        {
            var (exit, result, _) = await CliRun.JsonAsync(command);
            Assert.True(exit == (int)ExitCode.InvalidImage, $"{command[0]} exited {exit}, not 4: {result.Error}");
            Assert.StartsWith("malformed LVM metadata: ", result.Error, StringComparison.Ordinal);
            Assert.Contains(problem, result.Error, StringComparison.Ordinal);
            BadImages.AssertNoStackTrace(result.Error!);
        }

        Assert.Equal(hash, Sh.Sha256(disk));
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the metadata text holds no '{from}':\n{text}");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }

    /// <summary>Rewrites the committed metadata text in place and re-checksums it, as a hostile image would carry it.</summary>
    private static void RewriteText(string disk, Func<string, string> edit)
    {
        using var image = DiskImage.OpenWrite(disk);
        var pv = LvmPhysicalVolumeMetadata.Read(image, new ByteRange(PvOffset, 62 * TestDisks.MiB))!;
        var area = pv.Areas.Single();
        var committed = area.Header.Committed!.Value;
        var text = Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(area.Text!).TrimEnd('\0')) + "\0");
        Assert.True(committed.Offset + text.Length <= area.Area.Size, "the edited text must fit without wrapping");
        image.Write(PvOffset + area.Area.Offset + committed.Offset, text);
        image.Write(PvOffset + area.Area.Offset, area.Header.Encode(committed with { Size = text.Length, Checksum = LvmChecksum.Compute(text) }));
    }
}
