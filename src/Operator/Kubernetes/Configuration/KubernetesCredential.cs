using System.Security.Cryptography.X509Certificates;

namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>A bearer token and/or a client certificate, valid until <see cref="ExpiresAt"/> when known.</summary>
public sealed record KubernetesCredential(string? Token, X509Certificate2? ClientCertificate = null, DateTimeOffset? ExpiresAt = null);
