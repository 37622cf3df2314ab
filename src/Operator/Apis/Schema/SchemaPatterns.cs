namespace Imprint.Operator.Apis.Schema;

/// <summary>Regular expressions shared by several fields, written once so the schema and the docs agree.</summary>
public static class SchemaPatterns
{
    /// <summary>A Kubernetes resource quantity (e.g. <c>20Gi</c>, <c>1.5T</c>, <c>10737418240</c>), as apimachinery parses it.</summary>
    public const string Quantity =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>CEL rule for an int-or-string quantity: greater than zero (the pattern has already checked the syntax).</summary>
    public const string PositiveQuantityRule = "type(self) == int ? self > 0 : self.matches('^[+]?0*[.]?0*[1-9]')";

    /// <summary>An RFC 1123 host name: dot-separated labels of lower-case letters, digits and inner hyphens, each ≤ 63.</summary>
    public const string Rfc1123Hostname =
        @"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$";

    /// <summary>A DNS-1123 subdomain: the shape of most object names (PVCs, Secrets, ConfigMaps).</summary>
    public const string DnsSubdomain = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A DNS-1123 label: the shape of namespace names.</summary>
    public const string DnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>
    /// A string of a CloneTemplate: plain text (no "{{" but as part of an action) and the known placeholder actions
    /// (grammar in Controllers/CloneTemplates/PlaceholderTemplate; a property test holds the two equal). RE2 and .NET agree on it.
    /// </summary>
    public const string Placeholders =
        "^(?:[^{]|\\{(?:[^{]|$)|\\{\\{ *(?:\\.claim\\.name|\\.claim\\.namespace|\\.vm\\.name|\\.claim\\.(?:labels|annotations)\\[\"[A-Za-z0-9._/-]+\"\\]|\"[^\"\\\\]*\") *\\}\\})*$";
}
