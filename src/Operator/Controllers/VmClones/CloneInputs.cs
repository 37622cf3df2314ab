using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Translates spec.customize into the agent's customize.json (the agent's spec shape) plus the Secret and ConfigMap
/// keys projected next to it. Secret values never enter the JSON: it names them by relative path (secrets/…), which
/// the agent resolves against the spec file's folder. A pure function of the spec.
/// </summary>
public static class CloneInputs
{
    public const string SpecFile = "customize.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IEnumerable<(CloneInputKind Kind, KeySelector Reference, string Field)> References(CustomizeSpec? spec)
    {
        if (spec is null)
        {
            yield break;
        }

        if (spec.RootPassword?.SecretKeyRef is { } password)
        {
            yield return (CloneInputKind.Secret, password, "spec.customize.rootPassword.secretKeyRef");
        }

        for (var i = 0; i < (spec.Users?.Count ?? 0); i++)
        {
            if (spec.Users![i].SshAuthorizedKeysSecretRef is { } keys)
            {
                yield return (CloneInputKind.Secret, keys, $"spec.customize.users[{i}].sshAuthorizedKeysSecretRef");
            }
        }

        for (var i = 0; i < (spec.Files?.Count ?? 0); i++)
        {
            var file = spec.Files![i];
            if (file.SecretRef is { } secret)
            {
                yield return (CloneInputKind.Secret, secret, $"spec.customize.files[{i}].secretRef");
            }

            if (file.ConfigMapRef is { } configMap)
            {
                yield return (CloneInputKind.ConfigMap, configMap, $"spec.customize.files[{i}].configMapRef");
            }
        }
    }

    /// <summary>The customize.json text and the files the input volume must carry besides it.</summary>
    public static (string Json, IReadOnlyList<AgentInputFile> Files) Build(CustomizeSpec? spec)
    {
        var files = new List<AgentInputFile>();
        var json = new JsonObject();
        spec ??= new CustomizeSpec();
        Put(json, "hostname", spec.Hostname);
        if (spec.Hosts is { Count: > 0 } hosts)
        {
            json["hosts"] = new JsonArray([.. hosts.Select(h => (JsonNode)new JsonObject { ["ip"] = h.Ip, ["hostnames"] = Strings(h.Hostnames) })]);
        }

        if (spec.Dns is { } dns)
        {
            var node = new JsonObject();
            PutList(node, "nameservers", dns.Nameservers);
            PutList(node, "searches", dns.Searches);
            PutList(node, "options", dns.Options);
            json["dns"] = node;
        }

        if (spec.RootPassword is { } password)
        {
            var node = new JsonObject();
            if (password.SecretKeyRef is { } reference)
            {
                const string path = "secrets/root-password";
                files.Add(AgentInputFile.Secret(reference.Name, reference.Key, path));
                node["file"] = path;
            }

            if (password.Lock == true)
            {
                node["lock"] = true;
            }

            json["rootPassword"] = node;
        }

        if (spec.Users is { Count: > 0 } users)
        {
            var list = new JsonArray();
            for (var i = 0; i < users.Count; i++)
            {
                var user = users[i];
                var node = new JsonObject { ["name"] = user.Name };
                PutList(node, "sshAuthorizedKeys", user.SshAuthorizedKeys);
                if (user.SshAuthorizedKeysSecretRef is { } reference)
                {
                    var path = string.Create(CultureInfo.InvariantCulture, $"secrets/user-{i}-authorized-keys");
                    files.Add(AgentInputFile.Secret(reference.Name, reference.Key, path));
                    node["sshAuthorizedKeysFile"] = path;
                }

                PutList(node, "groups", user.Groups);
                Put(node, "shell", user.Shell);
                if (user.Uid is { } uid)
                {
                    node["uid"] = uid;
                }

                list.Add(node);
            }

            json["users"] = list;
        }

        json["sshHostKeys"] = (spec.SshHostKeys ?? RegeneratePolicy.Regenerate).ToString();
        json["machineId"] = (spec.MachineId ?? RegeneratePolicy.Regenerate).ToString();
        Put(json, "timezone", spec.Timezone);
        if (spec.Network?.Interfaces is { Count: > 0 } interfaces)
        {
            json["network"] = new JsonObject
            {
                ["interfaces"] = new JsonArray([.. interfaces.Select(Interface)]),
            };
        }

        if (spec.Files is { Count: > 0 } guestFiles)
        {
            var list = new JsonArray();
            for (var i = 0; i < guestFiles.Count; i++)
            {
                var file = guestFiles[i];
                var node = new JsonObject { ["path"] = file.Path };
                if (file.Content is not null)
                {
                    node["content"] = file.Content;
                }
                else if (file.SecretRef is { } secret)
                {
                    var path = string.Create(CultureInfo.InvariantCulture, $"secrets/file-{i}");
                    files.Add(AgentInputFile.Secret(secret.Name, secret.Key, path));
                    node["contentFile"] = path;
                }
                else if (file.ConfigMapRef is { } configMap)
                {
                    var path = string.Create(CultureInfo.InvariantCulture, $"files/file-{i}");
                    files.Add(AgentInputFile.ConfigMap(configMap.Name, configMap.Key, path));
                    node["contentFile"] = path;
                }

                Put(node, "mode", file.Mode);
                Put(node, "owner", file.Owner);
                list.Add(node);
            }

            json["files"] = list;
        }

        if (spec.FirstBootCommands is { Count: > 0 } commands)
        {
            json["firstBootCommands"] = Strings(commands);
        }

        return (json.ToJsonString(Indented), files);
    }

    private static JsonNode Interface(NetworkInterfaceSpec nic)
    {
        var node = new JsonObject { ["name"] = nic.Name };
        Put(node, "macAddress", nic.MacAddress);
        if (nic.Dhcp4 is { } dhcp4)
        {
            node["dhcp4"] = dhcp4;
        }

        if (nic.Dhcp6 is { } dhcp6)
        {
            node["dhcp6"] = dhcp6;
        }

        PutList(node, "addresses", nic.Addresses);
        Put(node, "gateway4", nic.Gateway4);
        Put(node, "gateway6", nic.Gateway6);
        PutList(node, "nameservers", nic.Nameservers);
        PutList(node, "searchDomains", nic.SearchDomains);
        if (nic.Mtu is { } mtu)
        {
            node["mtu"] = mtu;
        }

        return node;
    }

    private static void Put(JsonObject node, string name, string? value)
    {
        if (value is not null)
        {
            node[name] = value;
        }
    }

    private static void PutList(JsonObject node, string name, IList<string>? values)
    {
        if (values is { Count: > 0 })
        {
            node[name] = Strings(values);
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
