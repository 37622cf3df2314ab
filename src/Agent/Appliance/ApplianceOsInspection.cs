namespace Imprint.Agent.Appliance;

/// <summary>What libguestfs' inspection (<c>inspect_get_*</c>) reports about the operating system at a root.</summary>
public sealed record ApplianceOsInspection(string Type, string Distro, int MajorVersion, int MinorVersion, string Arch, string Hostname, string ProductName, string PackageFormat)
{
    /// <summary>"9.4"; null when libguestfs knows no version (0.0).</summary>
    public string? Version => MajorVersion == 0 && MinorVersion == 0 ? null : $"{MajorVersion}.{MinorVersion}";

    internal static ApplianceOsInspection Read(ApplianceSession session, string root) => new(
        session.InspectType(root),
        session.InspectDistro(root),
        session.InspectMajorVersion(root),
        session.InspectMinorVersion(root),
        session.InspectArch(root),
        session.InspectHostname(root),
        session.InspectProductName(root),
        session.InspectPackageFormat(root));
}
