using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>
/// Reads kubeconfig files the way kubectl does: KUBECONFIG is a ':'-separated list merged with the first file winning
/// for each named cluster, user and context, and current-context taken from the first file that sets it.
/// </summary>
public static class KubeConfigLoader
{
    /// <param name="context">Overrides current-context (kubectl --context).</param>
    /// <param name="kubeconfigEnv">The KUBECONFIG value; null reads the environment variable.</param>
    /// <param name="home">The home folder for the default ~/.kube/config; null reads HOME.</param>
    public static KubernetesClientConfiguration Load(string? context = null, string? kubeconfigEnv = null, string? home = null)
    {
        kubeconfigEnv ??= Environment.GetEnvironmentVariable("KUBECONFIG");
        home ??= Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var paths = string.IsNullOrWhiteSpace(kubeconfigEnv)
            ? [Path.Combine(home, ".kube", "config")]
            : kubeconfigEnv.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // kubectl skips KUBECONFIG entries that do not exist; it fails only when nothing is left.
        var files = paths.Where(File.Exists).Select(ReadFile).ToList();
        if (files.Count == 0)
        {
            throw new KubernetesConfigException($"No kubeconfig found (looked at {string.Join(", ", paths.Select(p => $"'{p}'"))}).");
        }

        var contexts = Merge(files, "contexts", "context");
        var clusters = Merge(files, "clusters", "cluster");
        var users = Merge(files, "users", "user");
        var contextName = context
            ?? files.Select(f => Scalar(f.Root, "current-context")).FirstOrDefault(c => !string.IsNullOrEmpty(c))
            ?? throw new KubernetesConfigException("The kubeconfig sets no current-context; pass a context name.");

        if (!contexts.TryGetValue(contextName, out var contextEntry))
        {
            throw new KubernetesConfigException($"Context '{contextName}' is not in the kubeconfig (known: {string.Join(", ", contexts.Keys)}).");
        }

        var clusterName = Scalar(contextEntry.Node, "cluster")
            ?? throw new KubernetesConfigException($"Context '{contextName}' names no cluster.");
        if (!clusters.TryGetValue(clusterName, out var cluster))
        {
            throw new KubernetesConfigException($"Cluster '{clusterName}' of context '{contextName}' is not in the kubeconfig.");
        }

        var userName = Scalar(contextEntry.Node, "user");
        (YamlMappingNode Node, string Folder)? user = null;
        if (!string.IsNullOrEmpty(userName))
        {
            user = users.TryGetValue(userName, out var found)
                ? found
                : throw new KubernetesConfigException($"User '{userName}' of context '{contextName}' is not in the kubeconfig.");
        }

        var serverText = Scalar(cluster.Node, "server")
            ?? throw new KubernetesConfigException($"Cluster '{clusterName}' has no server.");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server))
        {
            throw new KubernetesConfigException($"Cluster '{clusterName}' has an invalid server '{serverText}'.");
        }

        return new KubernetesClientConfiguration
        {
            Server = server,
            CertificateAuthorities = LoadAuthorities(cluster.Node, cluster.Folder, clusterName),
            SkipTlsVerify = string.Equals(Scalar(cluster.Node, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            TlsServerName = Scalar(cluster.Node, "tls-server-name"),
            ClientCertificate = user is null ? null : LoadClientCertificate(user.Value.Node, user.Value.Folder, userName!),
            Credentials = user is null ? null : LoadCredentials(user.Value.Node, user.Value.Folder, userName!),
            Namespace = Scalar(contextEntry.Node, "namespace") is { Length: > 0 } ns ? ns : "default",
        };
    }

    private static (YamlMappingNode Root, string Folder) ReadFile(string path)
    {
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            var root = stream.Documents.Count == 0 ? new YamlMappingNode() : stream.Documents[0].RootNode as YamlMappingNode
                ?? throw new KubernetesConfigException($"kubeconfig '{path}' is not a YAML mapping.");
            return (root, Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (YamlException e)
        {
            throw new KubernetesConfigException($"kubeconfig '{path}' is not valid YAML: {e.Message}", e);
        }
    }

    private static Dictionary<string, (YamlMappingNode Node, string Folder)> Merge(
        List<(YamlMappingNode Root, string Folder)> files, string listKey, string itemKey)
    {
        var merged = new Dictionary<string, (YamlMappingNode, string)>(StringComparer.Ordinal);
        foreach (var (root, folder) in files)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) || list is not YamlSequenceNode sequence)
            {
                continue;
            }

            foreach (var entry in sequence.OfType<YamlMappingNode>())
            {
                var name = Scalar(entry, "name");
                if (name is not null && entry.Children.TryGetValue(new YamlScalarNode(itemKey), out var item) && item is YamlMappingNode body)
                {
                    merged.TryAdd(name, (body, folder));
                }
            }
        }

        return merged;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static string Resolve(string path, string folder) => Path.IsPathRooted(path) ? path : Path.Combine(folder, path);

    private static string ReadPem(YamlMappingNode node, string folder, string dataKey, string fileKey, string owner)
    {
        var data = Scalar(node, dataKey);
        if (!string.IsNullOrEmpty(data))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubernetesConfigException($"{owner}: {dataKey} is not valid base64.", e);
            }
        }

        var file = Resolve(Scalar(node, fileKey)!, folder);
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException e)
        {
            throw new KubernetesConfigException($"{owner}: cannot read {fileKey} '{file}': {e.Message}", e);
        }
    }

    private static bool Has(YamlMappingNode node, string key) => !string.IsNullOrEmpty(Scalar(node, key));

    private static X509Certificate2Collection? LoadAuthorities(YamlMappingNode cluster, string folder, string name)
    {
        if (!Has(cluster, "certificate-authority-data") && !Has(cluster, "certificate-authority"))
        {
            return null;
        }

        var pem = ReadPem(cluster, folder, "certificate-authority-data", "certificate-authority", $"cluster '{name}'");
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubernetesConfigException($"cluster '{name}': the certificate authority is not valid PEM: {e.Message}", e);
        }

        return collection.Count > 0 ? collection : throw new KubernetesConfigException($"cluster '{name}': the certificate authority holds no certificate.");
    }

    private static X509Certificate2? LoadClientCertificate(YamlMappingNode user, string folder, string name)
    {
        var hasCertificate = Has(user, "client-certificate-data") || Has(user, "client-certificate");
        var hasKey = Has(user, "client-key-data") || Has(user, "client-key");
        if (!hasCertificate && !hasKey)
        {
            return null;
        }

        if (hasCertificate != hasKey)
        {
            throw new KubernetesConfigException($"user '{name}': a client certificate needs both the certificate and the key.");
        }

        var certificatePem = ReadPem(user, folder, "client-certificate-data", "client-certificate", $"user '{name}'");
        var keyPem = ReadPem(user, folder, "client-key-data", "client-key", $"user '{name}'");
        try
        {
            // CreateFromPem handles RSA, EC (and PKCS#1 / SEC1 / PKCS#8) keys.
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException e)
        {
            throw new KubernetesConfigException($"user '{name}': the client certificate or key is invalid: {e.Message}", e);
        }
    }

    private static ICredentialProvider? LoadCredentials(YamlMappingNode user, string folder, string name)
    {
        if (Scalar(user, "token") is { Length: > 0 } token)
        {
            return new StaticTokenProvider(token);
        }

        if (Scalar(user, "tokenFile") is { Length: > 0 } tokenFile)
        {
            return new TokenFileProvider(Resolve(tokenFile, folder));
        }

        if (!user.Children.TryGetValue(new YamlScalarNode("exec"), out var execNode) || execNode is not YamlMappingNode exec)
        {
            return null;
        }

        var command = Scalar(exec, "command")
            ?? throw new KubernetesConfigException($"user '{name}': exec has no command.");

        // Like kubectl: a relative path with a separator is relative to the kubeconfig; a bare name is looked up in PATH.
        if (command.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(command))
        {
            command = Path.Combine(folder, command);
        }

        var apiVersion = Scalar(exec, "apiVersion") ?? ExecCredentialProvider.ApiVersionV1;
        if (apiVersion is not (ExecCredentialProvider.ApiVersionV1 or ExecCredentialProvider.ApiVersionV1Beta1))
        {
            throw new KubernetesConfigException($"user '{name}': exec apiVersion '{apiVersion}' is not supported (use {ExecCredentialProvider.ApiVersionV1} or {ExecCredentialProvider.ApiVersionV1Beta1}).");
        }

        var arguments = exec.Children.TryGetValue(new YamlScalarNode("args"), out var args) && args is YamlSequenceNode argList
            ? argList.OfType<YamlScalarNode>().Select(a => a.Value ?? string.Empty).ToList()
            : [];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (exec.Children.TryGetValue(new YamlScalarNode("env"), out var env) && env is YamlSequenceNode envList)
        {
            foreach (var variable in envList.OfType<YamlMappingNode>())
            {
                if (Scalar(variable, "name") is { Length: > 0 } variableName)
                {
                    environment[variableName] = Scalar(variable, "value") ?? string.Empty;
                }
            }
        }

        return new ExecCredentialProvider(command, arguments, environment, apiVersion);
    }
}
