using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A file written into the guest from inline content, a Secret key or a ConfigMap key.</summary>
[Description("A file written into the guest. Set exactly one of content, secretRef or configMapRef.")]
[CelRule("[has(self.content), has(self.secretRef), has(self.configMapRef)].filter(x, x).size() == 1",
    "set exactly one of content, secretRef or configMapRef")]
public sealed class FileSpec
{
    [Required]
    [MaxLength(4096)]
    [Pattern("^/")]
    [Description("Absolute path in the guest; parent directories are created.")]
    public string Path { get; set; } = string.Empty;

    [MaxLength(65536)]
    [Description("Inline file content (UTF-8 text).")]
    public string? Content { get; set; }

    [Description("Take the content from a Secret key.")]
    public KeySelector? SecretRef { get; set; }

    [Description("Take the content from a ConfigMap key.")]
    public KeySelector? ConfigMapRef { get; set; }

    [Pattern("^[0-7]{3,4}$")]
    [Default("0644")]
    [Description("Octal permission bits, e.g. \"0644\" or \"0600\" (a string, so YAML does not read it as a number).")]
    public string? Mode { get; set; }

    [MaxLength(65)]
    [Pattern("^[A-Za-z0-9_][-A-Za-z0-9_.]*(:[A-Za-z0-9_][-A-Za-z0-9_.]*)?$")]
    [Description("Owner as \"uid:gid\" or \"user:group\" names from the guest; defaults to 0:0.")]
    public string? Owner { get; set; }
}
