namespace Imprint.Agent.Lvm;

/// <summary>
/// A section of LVM's text format (<c>name { key = value … }</c>), entries in the order written so the text can be
/// written back in the same shape. The file itself is an unnamed top section.
/// </summary>
public sealed class LvmConfigSection(string name)
{
    private readonly List<LvmConfigEntry> _entries = [];

    public string Name { get; } = name;

    public IReadOnlyList<LvmConfigEntry> Entries => _entries;

    public IEnumerable<LvmConfigSection> Sections => _entries.Where(e => e.Section is not null).Select(e => e.Section!);

    public void Add(LvmConfigEntry entry) => _entries.Add(entry);

    public LvmConfigSection? Section(string name) => _entries.FirstOrDefault(e => e.Section is not null && e.Name == name)?.Section;

    public LvmConfigValue? Value(string name) => _entries.FirstOrDefault(e => e.Value is not null && e.Name == name)?.Value;

    /// <summary>Replaces the value of <paramref name="name"/>, or appends it when the section has none.</summary>
    public void Set(string name, LvmConfigValue value)
    {
        var index = _entries.FindIndex(e => e.Value is not null && e.Name == name);
        if (index < 0)
        {
            _entries.Add(new LvmConfigEntry(name, value, null));
        }
        else
        {
            _entries[index] = new LvmConfigEntry(name, value, null);
        }
    }

    public string? String(string name) => Value(name) is { Kind: LvmValueKind.String } v ? v.Text : null;

    public long? Integer(string name) => Value(name) is { Kind: LvmValueKind.Integer } v ? v.Integer : null;

    /// <summary>A list of strings (status and flags lists); an absent or differently typed value is empty.</summary>
    public IReadOnlyList<string> Strings(string name) => Value(name) is { Kind: LvmValueKind.List } v
        ? v.Items!.Where(i => i.Kind == LvmValueKind.String).Select(i => i.Text!).ToList()
        : [];

    /// <summary>A deep copy, for editing metadata without touching what was read.</summary>
    public LvmConfigSection Clone()
    {
        var copy = new LvmConfigSection(Name);
        foreach (var entry in _entries)
        {
            copy.Add(entry.Section is { } section ? entry with { Section = section.Clone() } : entry);
        }

        return copy;
    }
}
