using Imprint.Operator.Controllers.Revisions;

namespace Imprint.Operator.Tests.Controllers.Revisions;

public sealed class ChecksumFileTests
{
    private const string Sha256A = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string Sha256B = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";
    private static readonly string Sha512 = string.Concat(Enumerable.Repeat("ab", 64));

    [Fact]
    public void The_line_for_the_file_is_found_among_others_in_gnu_format()
    {
        var sums = $"{Sha256B}  debian-12-nocloud-amd64.qcow2\n{Sha256A}  debian-12-genericcloud-amd64.qcow2\n{Sha256B} *debian-12-genericcloud-amd64.raw\n";

        Assert.Equal($"sha256:{Sha256A}", ChecksumFile.Find(sums, "debian-12-genericcloud-amd64.qcow2"));
        Assert.Equal($"sha256:{Sha256B}", ChecksumFile.Find(sums, "debian-12-genericcloud-amd64.raw"));
    }

    [Fact]
    public void Sha512_lines_bsd_tags_dot_slash_names_crlf_and_upper_case_hex_are_read()
    {
        var sums = $"# comment\r\n{Sha512.ToUpperInvariant()}  ./disk.qcow2\r\nSHA256 (other.img) = {Sha256A}\r\n";

        Assert.Equal($"sha512:{Sha512}", ChecksumFile.Find(sums, "disk.qcow2"));
        Assert.Equal($"sha256:{Sha256A}", ChecksumFile.Find(sums, "other.img"));
    }

    [Theory]
    [InlineData("{A}  other.qcow2\n", "has no line for disk.qcow2")]
    [InlineData("", "has no line for disk.qcow2")]
    [InlineData("not-hex-at-all  disk.qcow2\n", "has no hex digest")]
    [InlineData("abcd  disk.qcow2\n", "4-digit digest: only sha256 (64) and sha512 (128)")]
    [InlineData("MD5 (disk.qcow2) = d41d8cd98f00b204e9800998ecf8427e\n", "is MD5 with 32 digits")]
    [InlineData("{A}  disk.qcow2\n{B}  disk.qcow2\n", "lists disk.qcow2 twice with different checksums")]
    public void A_file_without_a_usable_line_for_the_image_is_refused_with_why(string content, string expected)
    {
        var sums = content.Replace("{A}", Sha256A, StringComparison.Ordinal).Replace("{B}", Sha256B, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => ChecksumFile.Find(sums, "disk.qcow2"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_name_is_the_urls_last_segment_unescaped_without_query()
    {
        Assert.Equal("disk 1.qcow2", ChecksumFile.FileNameOf(new Uri("https://example.com/images/latest/disk%201.qcow2?x=1")));
    }
}
