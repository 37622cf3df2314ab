using System.Collections.Concurrent;
using System.Reflection;
using k8s.Models;

namespace Imprint.Operator.Kubernetes;

/// <summary>Where a kind lives in the API (group, empty for core; version; kind; plural), read from its <see cref="KubernetesEntityAttribute"/>.</summary>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural)
{
    private static readonly ConcurrentDictionary<Type, ResourceType> Known = new();

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The resource of a model class (k8s.Models or ours), from its <c>[KubernetesEntity]</c>.</summary>
    public static ResourceType Of<T>() => Of(typeof(T));

    public static ResourceType Of(Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        return Known.GetOrAdd(entityType, static type =>
        {
            var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()
                ?? throw new InvalidOperationException($"{type.Name} has no [KubernetesEntity] attribute");
            return new ResourceType(entity.Group ?? string.Empty, entity.ApiVersion, entity.Kind, entity.PluralName);
        });
    }
}
