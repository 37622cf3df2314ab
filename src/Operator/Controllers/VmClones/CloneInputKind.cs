namespace Imprint.Operator.Controllers.VmClones;

/// <summary>Where a customization input comes from.</summary>
public enum CloneInputKind
{
    Secret,
    ConfigMap,
}
