namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// Binds a parsed spec document to <see cref="CustomizationSpec"/> field by field, in the spec's own camelCase
/// names, so a wrong type, an unknown or a duplicate key is reported with its path (<c>users[1].uid</c>) and never
/// as a .NET type, and all of them at once. Adding a spec field means adding its line here.
/// </summary>
internal static class CustomizationSpecReader
{
    public static CustomizationSpec Read(SpecNode? root, SpecProblems problems) =>
        root is null or { Kind: SpecNodeKind.Null } ? new CustomizationSpec() : SpecObjectReader.Read(root, string.Empty, problems, Spec) ?? new CustomizationSpec();

    private static CustomizationSpec Spec(SpecObjectReader r) => new()
    {
        Hostname = r.String("hostname"),
        Hosts = r.Objects("hosts", h => new HostEntrySpec { Ip = h.String("ip"), Hostnames = h.Strings("hostnames") }),
        Dns = r.Object("dns", d => new DnsSpec { Nameservers = d.Strings("nameservers"), Searches = d.Strings("searches"), Options = d.Strings("options") }),
        RootPassword = r.Object("rootPassword", p => new RootPasswordSpec { File = p.String("file"), Hash = p.String("hash"), Lock = p.Boolean("lock") ?? false }),
        Users = r.Objects("users", User),
        SshHostKeys = r.String("sshHostKeys"),
        MachineId = r.String("machineId"),
        Timezone = r.String("timezone"),
        Network = r.Object("network", n => new NetworkSpec { Interfaces = n.Objects("interfaces", Interface) }),
        Files = r.Objects("files", File),
        FirstBootCommands = r.Strings("firstBootCommands"),
    };

    private static UserSpec User(SpecObjectReader u) => new()
    {
        Name = u.String("name"),
        SshAuthorizedKeys = u.Strings("sshAuthorizedKeys"),
        SshAuthorizedKeysFile = u.String("sshAuthorizedKeysFile"),
        Groups = u.Strings("groups"),
        Shell = u.String("shell"),
        Uid = (uint?)u.Integer("uid", 0, uint.MaxValue),
    };

    private static NetworkInterfaceSpec Interface(SpecObjectReader n) => new()
    {
        Name = n.String("name"),
        MacAddress = n.String("macAddress"),
        Dhcp4 = n.Boolean("dhcp4") ?? false,
        Dhcp6 = n.Boolean("dhcp6") ?? false,
        Addresses = n.Strings("addresses"),
        Gateway4 = n.String("gateway4"),
        Gateway6 = n.String("gateway6"),
        Nameservers = n.Strings("nameservers"),
        SearchDomains = n.Strings("searchDomains"),
        Mtu = (int?)n.Integer("mtu", int.MinValue, int.MaxValue),
    };

    private static FileSpec File(SpecObjectReader f) => new()
    {
        Path = f.String("path"),
        Content = f.String("content"),
        ContentFile = f.String("contentFile"),
        Base64 = f.String("base64"),
        Mode = f.Mode("mode"),
        Owner = f.String("owner"),
    };
}
