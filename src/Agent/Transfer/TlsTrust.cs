using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Transfer;

/// <summary>
/// Trusts exactly the CA certificates of one PEM file (a CA given by the operator or a self-signed server), not the
/// system store: a transfer between namespaces must reach the one server that was set up for it. The host name is
/// still checked against the certificate.
/// </summary>
public sealed class TlsTrust(X509Certificate2Collection roots)
{
    public X509Certificate2Collection Roots { get; } = roots;

    /// <summary>Loads every certificate of a PEM file (exit 3 when it is missing, 2 when it holds none).</summary>
    public static TlsTrust FromPemFile(string path)
    {
        if (!File.Exists(path))
        {
            throw ImprintException.NotFound($"CA file '{path}' does not exist");
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new ImprintException(ExitCode.Usage, $"CA file '{path}' is not a PEM certificate: {ex.Message}", ex);
        }

        return roots.Count == 0 ? throw ImprintException.Usage($"CA file '{path}' holds no PEM certificate") : new TlsTrust(roots);
    }

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/> that builds the chain against <see cref="Roots"/> only.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
