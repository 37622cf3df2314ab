using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Imprint.Operator.Tests.Kubernetes.Support;

/// <summary>Throw-away certificates for TLS and kubeconfig tests: a CA, a server leaf it signs, client certificates.</summary>
public static class TestCertificates
{
    public static X509Certificate2 CreateAuthority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost signed by <paramref name="authority"/>, with its key.</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 authority)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var signed = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = signed.CopyWithPrivateKey(key);

        // Kestrel on Linux wants a certificate whose key is not ephemeral: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A self-signed client certificate and its private key, as PEM (RSA or EC).</summary>
    public static (string CertificatePem, string KeyPem) CreateClientPem(string name, bool ec)
    {
        if (ec)
        {
            using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var ecRequest = new CertificateRequest($"CN={name}", ecKey, HashAlgorithmName.SHA256);
            using var ecCertificate = ecRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            return (ecCertificate.ExportCertificatePem(), ecKey.ExportECPrivateKeyPem());
        }

        using var rsaKey = RSA.Create(2048);
        var rsaRequest = new CertificateRequest($"CN={name}", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var rsaCertificate = rsaRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return (rsaCertificate.ExportCertificatePem(), rsaKey.ExportRSAPrivateKeyPem());
    }
}
