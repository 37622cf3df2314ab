using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>The standard metav1.Condition, so kstatus, Argo CD and Flux can read Imprint objects.</summary>
[Description("One aspect of the object's current state (metav1.Condition).")]
public sealed class Condition
{
    [Required]
    [MaxLength(316)]
    [Pattern(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    [Description("Type of condition in CamelCase, e.g. Ready, Progressing, Degraded.")]
    public string Type { get; set; } = string.Empty;

    [Required]
    [Description("Status of the condition: True, False or Unknown.")]
    public ConditionStatus Status { get; set; } = ConditionStatus.Unknown;

    [Minimum(0)]
    [Description("The metadata.generation the condition was set from.")]
    public long? ObservedGeneration { get; set; }

    [Required]
    [Description("When the condition last changed status.")]
    public DateTimeOffset LastTransitionTime { get; set; }

    [Required]
    [MinLength(1)]
    [MaxLength(1024)]
    [Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")]
    [Description("Programmatic identifier of the reason for the last transition, in CamelCase.")]
    public string Reason { get; set; } = string.Empty;

    [Required]
    [MaxLength(32768)]
    [Description("Human-readable details about the transition; may be empty.")]
    public string Message { get; set; } = string.Empty;
}
