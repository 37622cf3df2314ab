namespace Imprint.Operator.Apis.Schema;

/// <summary>
/// Strings anywhere below this property may hold CloneTemplate placeholders (<c>{{ .vm.name }}</c>). In the schema each
/// such string keeps its own rules only when it holds no action; with actions, a CEL rule checks the placeholder
/// grammar instead (known placeholders only), and the rendered value is checked per claim by the VmClone's schema.
/// Formats (ip, cidr, mac) cannot be conditional and are left to that per-claim check.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PlaceholdersAttribute : Attribute;
