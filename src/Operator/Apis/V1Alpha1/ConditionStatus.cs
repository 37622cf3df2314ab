namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>metav1.ConditionStatus.</summary>
public enum ConditionStatus
{
    True,
    False,
    Unknown,
}
