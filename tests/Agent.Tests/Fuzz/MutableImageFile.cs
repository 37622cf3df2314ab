namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// A seed image written once to a file, then mutated and restored in place: only the bytes a mutation touches are
/// written (a 16 MiB vhdx is not rewritten 10,000 times), and restoring puts back exactly those bytes and the length.
/// </summary>
public sealed class MutableImageFile(FuzzSeedImage image, string path) : IDisposable
{
    private readonly byte[] _working = (byte[])image.Bytes.Clone();
    private readonly List<(long Offset, int Length)> _touched = [];
    private long _length = image.Bytes.Length;

    public string Path { get; } = Create(path, image.Bytes);

    private Microsoft.Win32.SafeHandles.SafeFileHandle File { get; } = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);

    public void Dispose() => File.Dispose();

    /// <summary>Applies the mutations to the file; call <see cref="Restore"/> before the next input.</summary>
    public void Apply(IReadOnlyList<Mutation> mutations)
    {
        ArgumentNullException.ThrowIfNull(mutations);
        var length = (int)_length;
        foreach (var mutation in mutations)
        {
            if (mutation.Kind == MutationKind.FixChecksums)
            {
                _touched.AddRange(ChecksumFixer.Fix(_working, length, mutation.Offset));
                continue;
            }

            length = mutation.ApplyTo(_working, length);
            if (mutation.Kind != MutationKind.Truncate && length > 0)
            {
                var at = (int)Math.Clamp(mutation.Offset, 0, length - 1);
                _touched.Add((at, Math.Min(mutation.Kind == MutationKind.Zero ? mutation.Length : 8, length - at)));
            }
        }

        var file = File;
        foreach (var (offset, count) in _touched)
        {
            RandomAccess.Write(file, _working.AsSpan((int)offset, count), offset);
        }

        if (length < _length)
        {
            RandomAccess.SetLength(file, length);
            _length = length;
        }
    }

    public void Restore()
    {
        var file = File;
        foreach (var (offset, count) in _touched)
        {
            image.Bytes.AsSpan((int)offset, count).CopyTo(_working.AsSpan((int)offset));
            RandomAccess.Write(file, _working.AsSpan((int)offset, count), offset);
        }

        _touched.Clear();
        if (_length < image.Bytes.Length)
        {
            image.Bytes.AsSpan((int)_length).CopyTo(_working.AsSpan((int)_length));
            RandomAccess.Write(file, _working.AsSpan((int)_length), _length);
            _length = image.Bytes.Length;
        }
    }

    private static string Create(string path, byte[] bytes)
    {
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }
}
