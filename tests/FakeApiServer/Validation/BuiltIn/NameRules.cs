using System.Text.RegularExpressions;

namespace Imprint.Testing.FakeApiServer;

/// <summary>apimachinery's name and label formats, with the messages the real server writes.</summary>
internal static partial class NameRules
{
    private const string LabelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string SubdomainPattern = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string QualifiedPattern = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string ConfigKeyPattern = "[-._a-zA-Z0-9]+";

    /// <summary>Problems with an RFC 1123 label (namespace names, container and volume names); empty when valid.</summary>
    public static IEnumerable<string> Label(string value)
    {
        if (value.Length > 63)
            yield return "must be no more than 63 characters";
        if (!DnsLabel().IsMatch(value))
            yield return $"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '{LabelPattern}')";
    }

    /// <summary>Problems with an RFC 1123 subdomain (most object names); empty when valid.</summary>
    public static IEnumerable<string> Subdomain(string value)
    {
        if (value.Length > 253)
            yield return "must be no more than 253 characters";
        if (!DnsSubdomain().IsMatch(value))
            yield return $"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{SubdomainPattern}')";
    }

    /// <summary>Problems with a qualified name (label and annotation keys): optional DNS-subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static IEnumerable<string> QualifiedName(string value)
    {
        var parts = value.Split('/');
        string name;
        if (parts.Length == 1)
        {
            name = parts[0];
        }
        else if (parts.Length == 2)
        {
            name = parts[1];
            if (parts[0].Length == 0)
                yield return "prefix part must be non-empty";
            else
                foreach (var problem in Subdomain(parts[0]))
                    yield return "prefix part " + problem;
        }
        else
        {
            yield return $"a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '{QualifiedPattern}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
            yield break;
        }
        if (name.Length == 0)
            yield return "name part must be non-empty";
        else if (name.Length > 63)
            yield return "name part must be no more than 63 characters";
        if (name.Length > 0 && !Qualified().IsMatch(name))
            yield return $"name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '{QualifiedPattern}')";
    }

    /// <summary>Problems with a label value: empty, or at most 63 characters of the qualified-name alphabet.</summary>
    public static IEnumerable<string> LabelValue(string value)
    {
        if (value.Length > 63)
            yield return "must be no more than 63 characters";
        if (value.Length > 0 && !Qualified().IsMatch(value))
            yield return $"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    }

    /// <summary>Problems with a ConfigMap or Secret data key.</summary>
    public static IEnumerable<string> ConfigKey(string value)
    {
        if (value.Length > 253)
            yield return "must be no more than 253 characters";
        if (!ConfigKeyRegex().IsMatch(value))
            yield return $"a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '{ConfigKeyPattern}')";
        if (value is "." or "..")
            yield return "must not be '.' or '..'";
    }

    [GeneratedRegex("^" + LabelPattern + "$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^" + SubdomainPattern + "$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^" + QualifiedPattern + "$")]
    private static partial Regex Qualified();

    [GeneratedRegex("^" + ConfigKeyPattern + "$")]
    private static partial Regex ConfigKeyRegex();
}
