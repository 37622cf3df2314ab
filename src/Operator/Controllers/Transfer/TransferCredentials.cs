using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Imprint.Operator.Controllers.Transfer;

/// <summary>
/// The one-time credentials of a cross-namespace copy: a self-signed ECDSA certificate for the serving agent (the
/// receiving agent trusts exactly it) and a random token the receiver presents. Made fresh for every attempt.
/// </summary>
public sealed record TransferCredentials(string CertificatePem, string PrivateKeyPem, string Token)
{
    /// <summary>The name in the certificate; the receiver dials the pod IP and checks this name instead.</summary>
    public const string ServerName = "transfer.imprint.invalid";

    public static TransferCredentials Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ServerName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(ServerName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return new TransferCredentials(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), token);
    }
}
