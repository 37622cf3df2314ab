using System.Text;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Turns spec.source.http.secretRef into the header file the agent reads: <c>username</c> + <c>password</c> become
/// Basic auth, every other key is sent as a header of that name. The derived Secret is owned by the GoldenImage, so
/// credentials stay in Secrets end to end (never in the Job's arguments, environment or the ConfigMap).
/// </summary>
public static class HttpHeaderSecret
{
    public const string Key = "headers";
    public const string RelativePath = "secrets/http-headers";

    public static string Name(string goldenImage, int attempt) => AgentJobNames.Input(goldenImage, AgentStep.Import, attempt) + "-auth";

    /// <summary>Header lines, or the reason the Secret cannot be used.</summary>
    public static (string? Headers, string? Problem) Render(V1Secret secret)
    {
        var keys = secret.Data?.Keys.ToList() ?? [];
        var lines = new StringBuilder();
        var username = secret.Data?.TryGetValue("username", out var u) == true ? u : null;
        var password = secret.Data?.TryGetValue("password", out var p) == true ? p : null;
        if ((username is null) != (password is null))
        {
            return (null, "set both 'username' and 'password' for basic auth, or neither");
        }

        if (username is not null)
        {
            var pair = Encoding.UTF8.GetString(username) + ":" + Encoding.UTF8.GetString(password!);
            lines.Append("Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(pair))).Append('\n');
        }

        foreach (var key in keys.Where(k => k is not "username" and not "password").Order(StringComparer.Ordinal))
        {
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return (null, $"key '{key}' is not an HTTP header name");
            }

            var value = Encoding.UTF8.GetString(secret.Data![key]).TrimEnd('\r', '\n');
            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                return (null, $"the value of key '{key}' spans several lines");
            }

            lines.Append(key).Append(": ").Append(value).Append('\n');
        }

        return lines.Length == 0 ? (null, "the Secret has no keys") : (lines.ToString(), null);
    }

    public static V1Secret Build(IKubernetesObject<V1ObjectMeta> owner, string name, string headers)
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = owner.Metadata.NamespaceProperty,
                Labels = AgentLabels.OwnedBy(owner),
                OwnerReferences = [AgentJobBuilder.OwnerReference(owner)],
            },
            Type = "Opaque",
            Immutable = true,
            Data = new Dictionary<string, byte[]> { [Key] = Encoding.UTF8.GetBytes(headers) },
        };
        return secret;
    }
}
