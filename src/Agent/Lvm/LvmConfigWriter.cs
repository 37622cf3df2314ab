using System.Globalization;
using System.Text;

namespace Imprint.Agent.Lvm;

/// <summary>Writes a parsed configuration back in LVM's own layout (tab-indented sections, one entry a line).</summary>
public static class LvmConfigWriter
{
    public static string Write(LvmConfigSection top)
    {
        ArgumentNullException.ThrowIfNull(top);
        var text = new StringBuilder();
        WriteEntries(text, top, 0);
        return text.ToString();
    }

    private static void WriteEntries(StringBuilder text, LvmConfigSection section, int depth)
    {
        var indent = new string('\t', depth);
        foreach (var entry in section.Entries)
        {
            if (entry.Section is { } child)
            {
                text.Append(indent).Append(entry.Name).Append(" {\n");
                WriteEntries(text, child, depth + 1);
                text.Append(indent).Append("}\n");
            }
            else
            {
                text.Append(indent).Append(entry.Name).Append(" = ");
                WriteValue(text, entry.Value!);
                text.Append('\n');
            }
        }
    }

    private static void WriteValue(StringBuilder text, LvmConfigValue value)
    {
        switch (value.Kind)
        {
            case LvmValueKind.String:
                text.Append('"').Append(value.Text!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                break;
            case LvmValueKind.Integer:
                text.Append(value.Integer.ToString(CultureInfo.InvariantCulture));
                break;
            case LvmValueKind.Float:
                text.Append(value.Text);
                break;
            default:
                text.Append('[');
                for (var i = 0; i < value.Items!.Count; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    WriteValue(text, value.Items[i]);
                }

                text.Append(']');
                break;
        }
    }
}
