namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>The actions a CloneTemplate string may hold.</summary>
public enum PlaceholderKind
{
    Literal,
    ClaimName,
    ClaimNamespace,
    ClaimLabel,
    ClaimAnnotation,
    VmName,
}
