using System.Text.RegularExpressions;

namespace Imprint.Operator.Runtime.Finalizers;

/// <summary>A finalizer name and the type that implements it (resolved per use from a DI scope).</summary>
public sealed partial record FinalizerRegistration
{
    public FinalizerRegistration(string name, Type implementation)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"Finalizer name '{name}' must look like '<group>/<purpose>', e.g. 'imprint.dev/cleanup'", nameof(name));
        }

        Name = name;
        Implementation = implementation;
    }

    public string Name { get; }

    public Type Implementation { get; }

    /// <summary>Which objects get the finalizer; null: every object of the kind.</summary>
    public Func<object, bool>? AppliesTo { get; init; }

    public bool IsWanted(object entity) => AppliesTo?.Invoke(entity) ?? true;

    // A DNS subdomain, a slash, and a qualified-name part (what the API server accepts for a domain-qualified finalizer).
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();
}
