using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Imprint.Operator.Apis.Schema;
using Imprint.Operator.Controllers.CloneTemplates;

namespace Imprint.Operator.Tests.Controllers.CloneTemplates;

/// <summary>
/// The placeholder grammar: the parser, the renderer and the CEL rule's regular expression must agree on every string,
/// and escaping must be exact. Strings are built from the fragments the grammar cares about (braces, quotes,
/// backslashes, the placeholder names and near misses) as well as arbitrary text.
/// </summary>
public sealed class PlaceholderTemplateTests
{
    private static readonly Regex Grammar = new(SchemaPatterns.Placeholders, RegexOptions.CultureInvariant);

    private static readonly string[] Fragments =
    [
        "{", "}", "{{", "}}", " ", "  ", "a", "web-0", ".", "-", "\\n", "\n", "\"", "\\", "[", "]", "é",
        ".claim.name", ".claim.namespace", ".vm.name", ".claim.labels[\"app\"]", ".claim.annotations[\"example.com/ip\"]",
        ".claim.nam", ".vm", ".claim.labels[app]", ".claim.labels[\"\"]", "\"lit\"", "\"{{\"", "\"}}\"",
        "{{ .claim.name }}", "{{.vm.name}}", "{{ \"{{\" }}", "{{ .claim.labels[\"tier\"] }}",
    ];

    private static readonly PlaceholderValues Values = new()
    {
        ClaimName = "web-0",
        ClaimNamespace = "vms",
        ClaimLabels = new Dictionary<string, string> { ["app"] = "shop", ["tier"] = "front" },
        ClaimAnnotations = new Dictionary<string, string> { ["example.com/ip"] = "192.0.2.7/24" },
        VmName = "app-0",
    };

    private static Arbitrary<string> TemplateLike() =>
        Gen.Elements(Fragments).ArrayOf().Select(parts => string.Concat(parts)).ToArbitrary();

    private static Arbitrary<string> AnyText() =>
        Gen.OneOf(Gen.Elements(Fragments).ArrayOf().Select(parts => string.Concat(parts)), ArbMap.Default.GeneratorFor<string>().Where(s => s is not null))
            .ToArbitrary();

    [Fact]
    public void Parser_and_the_CEL_rule_regex_accept_exactly_the_same_strings()
    {
        Prop.ForAll(TemplateLike(), s => PlaceholderTemplate.Parse(s).Ok == Grammar.IsMatch(s))
            .QuickCheckThrowOnFailure();
        Prop.ForAll(AnyText(), s => PlaceholderTemplate.Parse(s).Ok == Grammar.IsMatch(s))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Escaped_text_renders_as_itself_for_any_claim()
    {
        Prop.ForAll(AnyText(), s =>
            {
                var (value, error) = PlaceholderTemplate.Render(PlaceholderTemplate.Escape(s), Values);
                return error is null && value == s;
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Text_without_actions_renders_unchanged()
    {
        Prop.ForAll(AnyText().Filter(s => !s.Contains("{{", StringComparison.Ordinal)), s => PlaceholderTemplate.Render(s, Values).Value == s)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_placeholder_between_escaped_texts_is_replaced_by_its_value_and_nothing_else_changes()
    {
        var placeholders = Gen.Elements(
            ("{{ .claim.name }}", "web-0"), ("{{.claim.namespace}}", "vms"), ("{{ .vm.name }}", "app-0"),
            ("{{  .claim.labels[\"app\"]  }}", "shop"), ("{{ .claim.annotations[\"example.com/ip\"] }}", "192.0.2.7/24"), ("{{ \"}}{{\" }}", "}}{{"));
        var cases = AnyText().Generator.Two().SelectMany(texts => placeholders.Select(p => (texts.Item1, texts.Item2, p.Item1, p.Item2)));
        Prop.ForAll(cases.ToArbitrary(), c =>
            {
                var (prefix, suffix, action, value) = c;
                var template = PlaceholderTemplate.Escape(prefix) + action + PlaceholderTemplate.Escape(suffix);
                return PlaceholderTemplate.Render(template, Values).Value == prefix + value + suffix && Grammar.IsMatch(template);
            })
            .QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("{{ .vm.nmae }}", "at character 1: unknown placeholder '.vm.nmae'")]
    [InlineData("web-{{ .claim.name", "at character 5: ")]
    [InlineData("{{ .claim.labels[app] }}", "needs a quoted key")]
    [InlineData("{{ \"a\\b\" }}", "cannot hold a backslash")]
    [InlineData("{{ .claim.name .vm.name }}", "expected }} after {{ .claim.name }}")]
    public void Malformed_templates_are_refused_with_the_position_and_the_reason(string template, string expected)
    {
        var parse = PlaceholderTemplate.Parse(template);

        Assert.False(parse.Ok);
        Assert.Contains(expected, parse.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(Grammar, template);
    }

    [Fact]
    public void Missing_label_or_vm_is_an_error_not_an_empty_string()
    {
        var bare = Values with { VmName = null };

        var (vmValue, vmError) = PlaceholderTemplate.Render("{{ .vm.name }}", bare);
        var (labelValue, labelError) = PlaceholderTemplate.Render("x-{{ .claim.labels[\"missing\"] }}", bare);

        Assert.Null(vmValue);
        Assert.Contains("is not the disk of a VirtualMachine", vmError, StringComparison.Ordinal);
        Assert.Null(labelValue);
        Assert.Contains("has no label 'missing'", labelError, StringComparison.Ordinal);
    }
}
