namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>One action of a template string: a value of the claim or its VM, or a quoted literal.</summary>
/// <param name="Kind">What the action stands for.</param>
/// <param name="Argument">The label or annotation key, or the literal's text; empty otherwise.</param>
public sealed record Placeholder(PlaceholderKind Kind, string Argument)
{
    /// <summary>The placeholder as a user writes it (canonical spacing).</summary>
    public override string ToString() => Kind switch
    {
        PlaceholderKind.ClaimName => "{{ .claim.name }}",
        PlaceholderKind.ClaimNamespace => "{{ .claim.namespace }}",
        PlaceholderKind.ClaimLabel => $"{{{{ .claim.labels[\"{Argument}\"] }}}}",
        PlaceholderKind.ClaimAnnotation => $"{{{{ .claim.annotations[\"{Argument}\"] }}}}",
        PlaceholderKind.VmName => "{{ .vm.name }}",
        _ => $"{{{{ \"{Argument}\" }}}}",
    };
}
