namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// Decodes a spec's base64 text chunk by chunk into a stream, so the bytes never exist twice in memory. White space
/// (line-wrapped output of base64(1), YAML block scalars) is skipped; padding is required, as RFC 4648 says.
/// </summary>
public static class Base64Content
{
    private const int ChunkChars = 1 << 16; // a multiple of 4: chunks end on whole quads

    /// <summary>The decoded length, or null when the text is not valid base64.</summary>
    public static long? DecodedLength(string text)
    {
        try
        {
            return DecodeTo(text, Stream.Null);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Writes the decoded bytes to <paramref name="output"/> and returns how many; throws FormatException when invalid.</summary>
    public static long DecodeTo(string text, Stream output)
    {
        var chars = new char[ChunkChars];
        var bytes = new byte[ChunkChars / 4 * 3];
        var filled = 0;
        long total = 0;
        var ended = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            chars[filled++] = c;
            if (filled == ChunkChars)
            {
                total += Flush(chars, filled, bytes, output, ref ended);
                filled = 0;
            }
        }

        return total + Flush(chars, filled, bytes, output, ref ended);
    }

    private static long Flush(char[] chars, int count, byte[] bytes, Stream output, ref bool ended)
    {
        if (count == 0)
        {
            return 0;
        }

        // Padding may only close the text: a chunk after one that ended in '=' means '=' sat in the middle.
        if (ended || count % 4 != 0 || !Convert.TryFromBase64Chars(chars.AsSpan(0, count), bytes, out var written))
        {
            throw new FormatException("not valid base64");
        }

        ended = chars[count - 1] == '=';
        output.Write(bytes, 0, written);
        return written;
    }
}
