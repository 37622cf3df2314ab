namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>Supplies the credential of each request; may cache, and is told when the server rejected it (401).</summary>
public interface ICredentialProvider
{
    ValueTask<KubernetesCredential> GetCredentialAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops any cached credential so the next call fetches a fresh one.</summary>
    void Invalidate();
}
