using System.Text.Json;
using Imprint.Agent.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// Parses spec text into <see cref="SpecNode"/>s: JSON when it starts with '{' (comments and trailing commas
/// allowed), else YAML (one document; anchors and aliases resolved). Only a syntax error stops here; everything else
/// (types, unknown and duplicate keys) is left to the binder so it can report all of it at once.
/// </summary>
internal static class SpecDocumentParser
{
    /// <summary>Deeper nesting than any spec needs; stops a hostile document from exhausting the stack.</summary>
    private const int MaxDepth = 64;

    public static SpecNode? Parse(string text, string source)
    {
        var order = 0;
        try
        {
            if (text.TrimStart().StartsWith('{'))
            {
                using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth });
                return FromJson(document.RootElement, ref order);
            }

            return FromYaml(text, ref order);
        }
        catch (JsonException ex)
        {
            throw ImprintException.Usage($"{source}: {ex.Message}");
        }
        catch (YamlException ex)
        {
            var cause = ex.InnerException is { } inner ? inner.Message : ex.Message;
            throw ImprintException.Usage($"{source}: line {ex.Start.Line}, column {ex.Start.Column}: {cause}");
        }
    }

    private static SpecNode FromJson(JsonElement element, ref int order)
    {
        var at = order++;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var node = new SpecNode { Kind = SpecNodeKind.Object, Order = at };
                foreach (var property in element.EnumerateObject())
                {
                    node.Entries.Add(new(property.Name, FromJson(property.Value, ref order)));
                }

                return node;
            case JsonValueKind.Array:
                var list = new SpecNode { Kind = SpecNodeKind.List, Order = at };
                foreach (var item in element.EnumerateArray())
                {
                    list.Items.Add(FromJson(item, ref order));
                }

                return list;
            case JsonValueKind.String:
                return new SpecNode { Kind = SpecNodeKind.String, Order = at, Text = element.GetString() };
            case JsonValueKind.Number:
                return new SpecNode { Kind = SpecNodeKind.Number, Order = at, Text = element.GetRawText() };
            case JsonValueKind.True or JsonValueKind.False:
                return new SpecNode { Kind = SpecNodeKind.Boolean, Order = at, Text = element.GetRawText() };
            default:
                return new SpecNode { Kind = SpecNodeKind.Null, Order = at };
        }
    }

    private static SpecNode? FromYaml(string text, ref int order)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        var anchors = new Dictionary<string, SpecNode>(StringComparer.Ordinal);
        var root = ReadYaml(parser, anchors, 0, ref order);
        parser.Consume<DocumentEnd>();
        if (!parser.Accept<StreamEnd>(out _))
        {
            throw ImprintException.Usage("spec: more than one YAML document; a spec is one document");
        }

        return root;
    }

    private static SpecNode ReadYaml(IParser parser, Dictionary<string, SpecNode> anchors, int depth, ref int order)
    {
        if (depth > MaxDepth)
        {
            throw ImprintException.Usage($"spec: nested deeper than {MaxDepth} levels");
        }

        SpecNode node;
        string? anchor;
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw ImprintException.Usage($"spec: line {alias.Start.Line}: alias *{alias.Value.Value} names no anchor");
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var plain = scalar.Style == ScalarStyle.Plain;
            node = plain && SpecScalars.IsNull(scalar.Value)
                ? new SpecNode { Kind = SpecNodeKind.Null, Order = order++ }
                : new SpecNode { Kind = SpecNodeKind.String, Order = order++, Text = scalar.Value, IsPlain = plain };
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
        }
        else if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            node = new SpecNode { Kind = SpecNodeKind.List, Order = order++ };
            anchor = sequence.Anchor.IsEmpty ? null : sequence.Anchor.Value;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                node.Items.Add(ReadYaml(parser, anchors, depth + 1, ref order));
            }
        }
        else
        {
            var mapping = parser.Consume<MappingStart>();
            node = new SpecNode { Kind = SpecNodeKind.Object, Order = order++ };
            anchor = mapping.Anchor.IsEmpty ? null : mapping.Anchor.Value;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadYaml(parser, anchors, depth + 1, ref order);
                var value = ReadYaml(parser, anchors, depth + 1, ref order);
                // A key that is not text (a list, an object) cannot name a field; "?" keeps it visibly unknown.
                node.Entries.Add(new(key.Kind is SpecNodeKind.String ? key.Text! : key.Kind is SpecNodeKind.Null ? "" : "?", value));
            }
        }

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }

        return node;
    }
}
