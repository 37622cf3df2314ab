using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Disk;

public sealed class SparseCopierTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Copies_content_exactly_and_keeps_holes_as_holes()
    {
        var source = MakeSparseSource(64 * MiB);
        var target = _temp.File("target.img");

        var result = await SparseCopier.CopyAsync(source, target, new SparseCopyOptions { Verify = true });

        Assert.Equal(Sh.Sha256(source), Sh.Sha256(target));
        Assert.Equal(64 * MiB, new FileInfo(target).Length);
        Assert.NotNull(result.Sha256);
        // Only the 3 MiB of real data may be allocated in the target; the explicit zero MiB must stay a hole.
        using var handle = File.OpenHandle(target);
        var allocated = FileExtents.TotalLength(FileExtents.DataExtents(handle, new ByteRange(0, 64 * MiB)));
        Assert.InRange(allocated, 3 * MiB, 3 * MiB + (256 * 1024));
        Assert.Equal(3 * MiB, result.BytesWritten);
    }

    [Fact]
    public async Task Reads_only_data_extents_of_the_source()
    {
        var source = MakeSparseSource(256 * MiB);

        var result = await SparseCopier.CopyAsync(source, _temp.File("t.img"));

        Assert.Equal(256 * MiB, result.SourceLength);
        Assert.InRange(result.DataBytesRead, 4 * MiB, 5 * MiB);
    }

    [Fact]
    public async Task Reports_monotonic_progress_ending_at_total()
    {
        var source = MakeSparseSource(64 * MiB);
        var reports = new List<CopyProgress>();
        var progress = new SynchronousProgress<CopyProgress>(reports.Add);

        await SparseCopier.CopyAsync(source, _temp.File("t.img"), new SparseCopyOptions { Progress = progress, ProgressInterval = TimeSpan.Zero, BufferSize = 1024 * 1024 });

        Assert.True(reports.Count >= 4);
        Assert.Equal(reports.Select(r => r.BytesDone).Order(), reports.Select(r => r.BytesDone));
        Assert.Equal(reports[^1].BytesTotal, reports[^1].BytesDone);
    }

    [Fact]
    public async Task Refuses_an_existing_target_and_leaves_both_files_unchanged()
    {
        var source = MakeSparseSource(16 * MiB);
        var target = _temp.File("existing.img");
        await File.WriteAllTextAsync(target, "keep me");
        var sourceHash = Sh.Sha256(source);

        var error = await Assert.ThrowsAsync<ImprintException>(() => SparseCopier.CopyAsync(source, target));

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(target));
        Assert.Equal(sourceHash, Sh.Sha256(source));
    }

    [Fact]
    public async Task Refuses_to_copy_a_file_onto_itself_even_through_a_hard_link()
    {
        var source = MakeSparseSource(16 * MiB);
        var hash = Sh.Sha256(source);

        var same = await Assert.ThrowsAsync<ImprintException>(() => SparseCopier.CopyAsync(source, source));

        Assert.Equal(ExitCode.Usage, same.Code);
        Assert.Equal(hash, Sh.Sha256(source));
    }

    [Fact]
    public async Task Missing_source_is_a_clear_not_found_error_and_creates_no_target()
    {
        var target = _temp.File("t.img");

        var error = await Assert.ThrowsAsync<ImprintException>(() => SparseCopier.CopyAsync(_temp.File("nope.img"), target));

        Assert.Equal(ExitCode.NotFound, error.Code);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Cancelled_copy_removes_the_partial_target()
    {
        var source = MakeSparseSource(64 * MiB);
        var target = _temp.File("t.img");
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<CopyProgress>(_ => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SparseCopier.CopyAsync(source, target, new SparseCopyOptions { Progress = progress, ProgressInterval = TimeSpan.Zero, BufferSize = 1024 * 1024 }, cts.Token));

        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Zero_size_source_copies_to_zero_size_target()
    {
        var source = _temp.File("empty.img");
        File.WriteAllBytes(source, []);

        var result = await SparseCopier.CopyAsync(source, _temp.File("t.img"));

        Assert.Equal(0, result.SourceLength);
        Assert.Equal(0, new FileInfo(_temp.File("t.img")).Length);
    }

    /// <summary>A sparse file with 1 MiB of random data at 0, 10 and the end, and 1 MiB of explicit zeros at 20 MiB.</summary>
    private string MakeSparseSource(long length)
    {
        var path = _temp.File($"source-{length}.img");
        using var stream = new FileStream(path, FileMode.Create);
        stream.SetLength(length);
        var random = new Random(42);
        var block = new byte[MiB];
        foreach (var offset in new[] { 0, 10 * MiB, length - MiB })
        {
            random.NextBytes(block);
            stream.Position = offset;
            stream.Write(block);
        }

        stream.Position = 20 * MiB;
        stream.Write(new byte[MiB]);
        return path;
    }
}
