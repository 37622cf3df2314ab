namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>A fixed bearer token (kubeconfig <c>token</c>).</summary>
public sealed class StaticTokenProvider(string token) : ICredentialProvider
{
    private readonly KubernetesCredential _credential = new(token);

    public ValueTask<KubernetesCredential> GetCredentialAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_credential);

    public void Invalidate()
    {
        // A static token cannot be refreshed; the caller surfaces the 401.
    }
}
