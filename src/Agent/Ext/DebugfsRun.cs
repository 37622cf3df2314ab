using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Imprint.Agent.Errors;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Ext;

/// <summary>What one command of a debugfs session printed: stdout (without the echo line) and stderr.</summary>
internal sealed record DebugfsReply(string Command, string Output, string Error)
{
    public bool Failed => Error.Length > 0;
}

/// <summary>
/// Runs many debugfs commands in ONE process (<c>debugfs [-w] -f - 'image?offset=N'</c>, the script on stdin) and splits
/// what it printed per command. debugfs keeps going after errors and exits 0, so errors have to be found in its output:
/// before every command we put an unknown command <c>imprint-NONCE-i</c>. debugfs echoes it on stdout and complains
/// about it on stderr, so both streams carry an in-order marker and every error line can be pinned on the command that
/// caused it. Reads go through a long-lived <see cref="DebugfsSession"/> speaking the same script format.
/// </summary>
internal static class DebugfsRun
{
    public static async Task<IReadOnlyList<DebugfsReply>> RunAsync(
        string imagePath,
        long offset,
        IReadOnlyList<string> commands,
        bool writable,
        CancellationToken cancellationToken,
        string? undoFile = null)
    {
        if (commands.Count == 0)
        {
            return [];
        }

        var nonce = NewNonce();
        var args = new List<string>();
        if (writable)
        {
            args.Add("-w");
            if (undoFile is not null)
            {
                args.AddRange(["-z", undoFile]);
            }
        }

        args.AddRange(["-f", "-", $"{imagePath}?offset={offset.ToString(CultureInfo.InvariantCulture)}"]);

        // The exit status counts our marker commands ("command not found"), so it carries no information.
        var result = await ToolRunner.RunAsync(
            "debugfs",
            args,
            standardInput: Script(nonce, commands),
            acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return Parse(result.StandardOutput, result.StandardError, nonce, commands, imagePath, offset, writable);
    }

    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    public static string Marker(string nonce, int index) => $"imprint-{nonce}-{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The script: marker i, command i, … (commands must be single lines).</summary>
    public static string Script(string nonce, IReadOnlyList<string> commands)
    {
        var script = new StringBuilder();
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i].AsSpan().IndexOfAny('\n', '\r') >= 0)
            {
                throw new ArgumentException($"debugfs command {i} contains a line break", nameof(commands));
            }

            script.Append(Marker(nonce, i)).Append('\n').Append(commands[i]).Append('\n');
        }

        return script.ToString();
    }

    /// <summary>Splits what debugfs printed for a <see cref="Script"/> into one reply per command.</summary>
    public static IReadOnlyList<DebugfsReply> Parse(string stdout, string stderr, string nonce, IReadOnlyList<string> commands, string imagePath, long offset, bool writable)
    {
        var outputs = Split(stdout, i => $"debugfs: {Marker(nonce, i)}\n", commands.Count, out _);
        var errors = Split(stderr, i => $"{Marker(nonce, i)}\n", commands.Count, out var preamble);
        var opening = string.Join('\n', preamble.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("debugfs 1.", StringComparison.Ordinal) && !l.StartsWith("debugfs: Command not found", StringComparison.Ordinal)));
        if (opening.Length > 0 || (outputs[0] is null && errors[0] is null))
        {
            throw ImprintException.InvalidImage(
                $"debugfs cannot open the ext filesystem at offset {offset} of '{imagePath}'{(writable ? " for writing" : string.Empty)}: {(opening.Length > 0 ? opening : stderr.Trim())}");
        }

        var replies = new DebugfsReply[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            var output = outputs[i] ?? string.Empty;

            // Drop debugfs' echo of the command itself ("debugfs: <command>").
            var echo = $"debugfs: {commands[i]}\n";
            if (output.StartsWith(echo, StringComparison.Ordinal))
            {
                output = output[echo.Length..];
            }

            var error = (errors[i] ?? string.Empty).Trim();

            // The next marker's complaint starts with "debugfs: Command not found " on the same stream; cut it off.
            const string notFound = "debugfs: Command not found ";
            if (error.EndsWith(notFound.TrimEnd(), StringComparison.Ordinal) || error.EndsWith(notFound, StringComparison.Ordinal))
            {
                error = error[..error.LastIndexOf(notFound.TrimEnd(), StringComparison.Ordinal)].Trim();
            }

            replies[i] = new DebugfsReply(commands[i], output, error);
        }

        return replies;
    }

    /// <summary>Cuts <paramref name="text"/> at the markers; section i is what follows marker i up to marker i+1.</summary>
    private static string?[] Split(string text, Func<int, string> marker, int count, out string preamble)
    {
        var sections = new string?[count];
        var positions = new int[count];
        var search = 0;
        for (var i = 0; i < count; i++)
        {
            var mark = marker(i);
            var at = text.IndexOf(mark, search, StringComparison.Ordinal);
            positions[i] = at;
            if (at >= 0)
            {
                search = at + mark.Length;
            }
        }

        var firstFound = positions.FirstOrDefault(p => p >= 0, -1);
        preamble = firstFound < 0 ? text : text[..firstFound];
        for (var i = 0; i < count; i++)
        {
            if (positions[i] < 0)
            {
                continue;
            }

            var start = positions[i] + marker(i).Length;
            var end = text.Length;
            for (var j = i + 1; j < count; j++)
            {
                if (positions[j] >= 0)
                {
                    end = positions[j];
                    break;
                }
            }

            sections[i] = text[start..end];
        }

        return sections;
    }
}
