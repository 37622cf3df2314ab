using System.Globalization;
using System.Text;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>Builds the query string of list and watch calls.</summary>
internal static class KubernetesQuery
{
    public static string ForList(ListOptions? options) => Build(options, watch: false);

    public static string ForWatch(ListOptions options) => Build(options, watch: true);

    private static string Build(ListOptions? options, bool watch)
    {
        var query = new StringBuilder();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        if (watch)
        {
            Add("watch", "true");
            Add("allowWatchBookmarks", options?.AllowWatchBookmarks == true ? "true" : null);
            Add("timeoutSeconds", options?.TimeoutSeconds?.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            Add("limit", options?.Limit?.ToString(CultureInfo.InvariantCulture));
            Add("continue", options?.Continue);
        }

        Add("labelSelector", options?.LabelSelector);
        Add("fieldSelector", options?.FieldSelector);
        Add("resourceVersion", options?.ResourceVersion);
        return query.ToString();
    }
}
