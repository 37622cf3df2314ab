namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Whether a per-machine identity (SSH host keys, machine-id) is made new in the clone or kept from the golden.</summary>
public enum RegeneratePolicy
{
    Regenerate,
    Keep,
}
