using Imprint.Agent.Guest;
using Imprint.Agent.Tests.Guest;

namespace Imprint.Agent.Tests.Appliance;

/// <summary>
/// The <see cref="IGuestFileSystem"/> contract on the libguestfs engine, every test case on its own xfs drive of one
/// shared appliance (<see cref="ContractAppliance"/>: one launch for the whole class). Oracles: libguestfs' own calls
/// (lstat, read, readlink, checksum) outside the engine's code, and xfs_repair -n on the host.
/// </summary>
public sealed class ApplianceGuestFileSystemContractTests : GuestFileSystemContract, IClassFixture<ContractAppliance>
{
    private readonly ContractAppliance _appliance;
    private readonly string _device;
    private readonly string _image;

    public ApplianceGuestFileSystemContractTests(ContractAppliance appliance)
    {
        _appliance = appliance;
        (_device, _image) = appliance.TakeDrive();
    }

    [Fact]
    public async Task The_appliance_engine_is_named_libguestfs()
    {
        using var guest = await OpenAsync(GuestAccess.ReadOnly);

        Assert.Equal(GuestEngineName.Libguestfs, guest.EngineName);
    }

    protected override Task<IGuestFileSystem> OpenAsync(GuestAccess access) => Task.FromResult(_appliance.Open(_device, access));

    protected override GuestOracleEntry? OracleStat(string path) => _appliance.Stat(_device, path);

    protected override string? OracleRead(string path) => _appliance.Read(_device, path);

    protected override void AssertConsistent() => _appliance.AssertConsistent(_image);

    protected override string ImageDigest() => _appliance.TreeDigest(_device);
}
