namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>What the placeholders of a CloneTemplate stand for, for one claim.</summary>
public sealed record PlaceholderValues
{
    public required string ClaimName { get; init; }

    public required string ClaimNamespace { get; init; }

    public IReadOnlyDictionary<string, string> ClaimLabels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> ClaimAnnotations { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The VirtualMachine whose disk the claim is, when one was found (owner chain or label); null otherwise.</summary>
    public string? VmName { get; init; }

    /// <summary>How the VM name was found (for Events), e.g. "owner DataVolume web-0-disk → VirtualMachine web-0".</summary>
    public string? VmSource { get; init; }
}
