using System.Globalization;
using System.Text.RegularExpressions;
using Imprint.Agent.Disk;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Tests.Guest;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Ext;

/// <summary>The <see cref="IGuestFileSystem"/> contract on the e2fsprogs engine; debugfs and e2fsck -fn are the oracles.</summary>
public sealed partial class ExtGuestFileSystemContractTests : GuestFileSystemContract, IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _image;
    private readonly long _offset;
    private readonly ByteRange _range;

    public ExtGuestFileSystemContractTests()
    {
        _image = _temp.File("disk.raw");
        TestDisks.CreateGpt(_image, 24, new PartitionSpec(0));
        _offset = TestDisks.MakeExt(_image, 1, tree: ContractGuestTree.Build(_temp.File("tree")));
        var (offset, length) = TestDisks.PartitionRange(_image, 1);
        _range = new ByteRange(offset, length);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_ext_engine_is_named_e2fsprogs()
    {
        using var guest = await OpenAsync(GuestAccess.ReadOnly);

        Assert.Equal(GuestEngineName.E2fsprogs, guest.EngineName);
    }

    protected override Task<IGuestFileSystem> OpenAsync(GuestAccess access) =>
        Task.FromResult<IGuestFileSystem>(new ExtGuestFileSystem(new ExtFileSystem(_image, _range), access));

    protected override GuestOracleEntry? OracleStat(string path)
    {
        var stat = Sh.DebugfsStat(_image, _offset, path);
        var head = StatHead().Match(stat);
        if (!head.Success)
        {
            return null;
        }

        var kind = head.Groups["type"].Value switch
        {
            "regular" => GuestFileKind.File,
            "directory" => GuestFileKind.Directory,
            "symlink" => GuestFileKind.Symlink,
            _ => GuestFileKind.Other,
        };
        var owner = StatOwner().Match(stat);
        var link = FastLink().Match(stat);
        return new GuestOracleEntry(
            kind,
            Convert.ToInt32(head.Groups["mode"].Value, 8) & 0xFFF,
            uint.Parse(owner.Groups["uid"].Value, CultureInfo.InvariantCulture),
            uint.Parse(owner.Groups["gid"].Value, CultureInfo.InvariantCulture),
            link.Success ? link.Groups["target"].Value : null);
    }

    protected override string? OracleRead(string path) => OracleStat(path) is { Kind: GuestFileKind.File } ? Sh.DebugfsCat(_image, _offset, path) : null;

    protected override void AssertConsistent() => Sh.AssertFsckClean(_image, _offset);

    protected override string ImageDigest() => Sh.Sha256(_image);

    [GeneratedRegex(@"Type: (?<type>\w+)\s+Mode:\s+(?<mode>[0-7]+)", RegexOptions.CultureInvariant)]
    private static partial Regex StatHead();

    [GeneratedRegex(@"User:\s+(?<uid>\d+)\s+Group:\s+(?<gid>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex StatOwner();

    [GeneratedRegex(@"Fast link dest: ""(?<target>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex FastLink();
}
