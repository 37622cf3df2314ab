using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Namespaces whose VmClones may use this golden image.</summary>
[Description("Namespaces whose VmClones may use this image, besides its own.")]
public sealed class SharingSpec
{
    [Required]
    [MaxItems(256)]
    [MaxLength(63)]
    [Pattern(@"^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$")]
    [CelRule("!('*' in self) || self.size() == 1", "use [\"*\"] alone to share with every namespace")]
    [Description("Namespace names, or [\"*\"] for every namespace.")]
    public IList<string> Namespaces { get; set; } = [];
}
