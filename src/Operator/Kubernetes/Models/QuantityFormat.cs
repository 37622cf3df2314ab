namespace Imprint.Operator.Kubernetes.Models;

/// <summary>The suffix family a <see cref="Quantity"/> was written in: Ki/Mi/Gi…, k/M/G… (and m), or e-notation.</summary>
public enum QuantityFormat
{
    DecimalSI,
    BinarySI,
    DecimalExponent,
}
