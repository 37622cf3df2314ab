namespace Imprint.Agent.Customization.Spec;

/// <summary>What a <see cref="SpecNode"/> is. YAML plain scalars are <see cref="String"/> with IsPlain set.</summary>
internal enum SpecNodeKind
{
    Object,
    List,
    String,
    Number,
    Boolean,
    Null,
}
