namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>
/// A bearer token read from a file (kubeconfig <c>tokenFile</c>, the in-cluster service-account token). The kubelet
/// rotates projected tokens by swapping the file, so it is re-read whenever its modification time changes.
/// </summary>
public sealed class TokenFileProvider(string path) : ICredentialProvider
{
    private readonly Lock _lock = new();
    private DateTime _readMtime = DateTime.MinValue;
    private KubernetesCredential? _credential;

    public string Path { get; } = path;

    public ValueTask<KubernetesCredential> GetCredentialAsync(CancellationToken cancellationToken = default)
    {
        DateTime mtime;
        try
        {
            if (!File.Exists(Path))
            {
                throw new KubernetesConfigException($"Token file '{Path}' does not exist.");
            }

            mtime = File.GetLastWriteTimeUtc(Path);
        }
        catch (IOException e)
        {
            throw new KubernetesConfigException($"Token file '{Path}' cannot be read: {e.Message}", e);
        }

        lock (_lock)
        {
            if (_credential is null || mtime != _readMtime)
            {
                var token = File.ReadAllText(Path).Trim();
                if (token.Length == 0)
                {
                    throw new KubernetesConfigException($"Token file '{Path}' is empty.");
                }

                _credential = new KubernetesCredential(token);
                _readMtime = mtime;
            }

            return ValueTask.FromResult(_credential);
        }
    }

    public void Invalidate()
    {
        lock (_lock)
        {
            _credential = null;
        }
    }
}
