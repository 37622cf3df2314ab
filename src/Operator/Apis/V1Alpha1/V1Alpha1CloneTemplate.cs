using System.ComponentModel;
using Imprint.Operator.Apis.Schema;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>
/// A recipe for a customized disk, filled per claim: a PVC whose spec.dataSourceRef names the template (directly, or
/// through a DataVolume of a VirtualMachine or VirtualMachinePool) is populated from the golden image with the
/// customization rendered for that claim.
/// </summary>
[Description("CloneTemplate is a volume populator source: a PVC (or a CDI DataVolume) with spec.dataSourceRef "
    + "{apiGroup: imprint.dev, kind: CloneTemplate, name} gets its own copy of the GoldenImage, customized with the "
    + "placeholders of its strings filled for that claim ({{ .claim.name }}, {{ .claim.namespace }}, "
    + "{{ .claim.labels[\"k\"] }}, {{ .claim.annotations[\"k\"] }}, {{ .vm.name }}) and grown to the claim's size.")]
[ShortNames("ct")]
[Categories(ImprintApi.Category)]
[PrinterColumn("Golden", PrinterColumnType.String, ".spec.goldenImage.name")]
[PrinterColumn("Valid", PrinterColumnType.String, ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn("Placeholders", PrinterColumnType.String, ".status.placeholders", Priority = 1)]
[PrinterColumn("Age", PrinterColumnType.Date, ".metadata.creationTimestamp")]
[KubernetesEntity(Group = ImprintApi.Group, ApiVersion = ImprintApi.V1Alpha1, Kind = KindName, PluralName = "clonetemplates")]
public sealed class V1Alpha1CloneTemplate : IKubernetesObject<V1ObjectMeta>
{
    public const string KindName = "CloneTemplate";

    public string ApiVersion { get; set; } = $"{ImprintApi.Group}/{ImprintApi.V1Alpha1}";

    public string Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    [Required]
    public CloneTemplateSpec Spec { get; set; } = new();

    public CloneTemplateStatus? Status { get; set; }

    /// <summary>The VmClone fields a claim's disk is made from; strings of customize may hold placeholders.</summary>
    [Description("What every claim naming this template gets. Editing it changes the disks of claims made later, never of those already populated.")]
    public sealed class CloneTemplateSpec
    {
        [Required]
        [Description("The GoldenImage to copy; one in another namespace must list the claim's namespace in spec.sharing. "
            + "revision pins one of its revisions; absent, each claim gets the revision current when it is populated.")]
        public GoldenImageReference GoldenImage { get; set; } = new();

        [Default(CloneStrategy.Auto)]
        [Description("How to copy, as in VmClone: Auto, CsiClone, Snapshot or Copy.")]
        public CloneStrategy? Strategy { get; set; }

        [Description("Which partition grows into the claim's size, as in VmClone.")]
        public ResizeSpec? Resize { get; set; }

        [Placeholders]
        [Description("Changes written into each claim's guest before its first boot, as in VmClone. Every string may use "
            + "placeholders, filled per claim: {{ .claim.name }}, {{ .claim.namespace }}, {{ .claim.labels[\"key\"] }}, "
            + "{{ .claim.annotations[\"key\"] }}, {{ .vm.name }} (the VirtualMachine owning the claim's DataVolume), and "
            + "{{ \"text\" }} for literal text ({{ \"{{\" }} writes {{). A string without placeholders keeps the field's "
            + "own rules here; a rendered string must pass them for the claim (e.g. a host name from a claim label "
            + "must still be a valid host name), otherwise the claim waits with a Warning Event.")]
        public CustomizeSpec? Customize { get; set; }
    }

    /// <summary>Whether the template can be rendered; written only through the status subresource.</summary>
    [Description("Observed state of the CloneTemplate, written by the operator.")]
    public sealed class CloneTemplateStatus
    {
        [ListMap("type")]
        [MaxItems(16)]
        [Description("Ready: True when every string parses and names only known placeholders; False (reason InvalidPlaceholder) names the fields that do not.")]
        public IList<Condition>? Conditions { get; set; }

        [Description("The metadata.generation this status describes.")]
        public long? ObservedGeneration { get; set; }

        [MaxItems(32)]
        [Description("The placeholders the template uses, e.g. {{ .vm.name }}.")]
        public IList<string>? Placeholders { get; set; }
    }
}
