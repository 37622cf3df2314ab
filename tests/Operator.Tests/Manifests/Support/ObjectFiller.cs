using System.Collections;
using System.Reflection;
using Imprint.Operator.Apis;
using Imprint.Operator.Kubernetes;
using k8s.Models;
using IntOrString = Imprint.Operator.Apis.IntOrString;

namespace Imprint.Operator.Tests.Manifests.Support;

/// <summary>Builds an object with every settable property set (lists with one item), to exercise every JSON name.</summary>
internal static class ObjectFiller
{
    public static T Fill<T>()
        where T : class => (T)Value(typeof(T), 0)!;

    private static object? Value(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (depth > 12)
        {
            throw new InvalidOperationException($"{type.Name} nests too deep");
        }

        if (type == typeof(string))
        {
            return "x";
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(int))
        {
            return 7;
        }

        if (type == typeof(long))
        {
            return 21474836480L;
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        }

        if (type == typeof(IntOrString))
        {
            return IntOrString.FromString("10Gi");
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IList<>) || definition == typeof(List<>)))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GetGenericArguments()[0]))!;
            list.Add(Value(type.GetGenericArguments()[0], depth + 1));
            return list;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()))!;
            map.Add("k", Value(type.GetGenericArguments()[1], depth + 1));
            return map;
        }

        if (type == typeof(V1ObjectMeta))
        {
            return new V1ObjectMeta { Name = "filled", NamespaceProperty = "default" };
        }

        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            property.SetValue(instance, Value(property.PropertyType, depth + 1));
        }

        return instance;
    }
}
