using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Imprint.Agent.Tests.Transfer;

/// <summary>A throwaway CA and a server certificate it signed for 127.0.0.1/localhost, written as PEM files.</summary>
public sealed class TestCertificates
{
    private TestCertificates(string caPem, string certPem, string keyPem, X509Certificate2 server)
    {
        CaPem = caPem;
        CertPem = certPem;
        KeyPem = keyPem;
        Server = server;
    }

    public string CaPem { get; }

    public string CertPem { get; }

    public string KeyPem { get; }

    /// <summary>The server certificate with its private key (for Kestrel).</summary>
    public X509Certificate2 Server { get; }

    public static TestCertificates Create(string folder, string name)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=imprint test CA {name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddHours(12), RandomNumberGenerator.GetBytes(8));
        var server = signed.CopyWithPrivateKey(serverKey);

        var caPem = Path.Combine(folder, $"{name}-ca.pem");
        var certPem = Path.Combine(folder, $"{name}-cert.pem");
        var keyPem = Path.Combine(folder, $"{name}-key.pem");
        File.WriteAllText(caPem, ca.ExportCertificatePem());
        File.WriteAllText(certPem, server.ExportCertificatePem());
        File.WriteAllText(keyPem, serverKey.ExportPkcs8PrivateKeyPem());
        return new TestCertificates(caPem, certPem, keyPem, server);
    }
}
