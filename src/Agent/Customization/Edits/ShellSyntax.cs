using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// Checks that a first-boot command is one complete POSIX sh command list, with dash's own parser (<c>dash -n</c>
/// reads and parses, never executes). A hand-written tokenizer would catch unclosed quotes but not <c>if</c> without
/// <c>fi</c>, <c>case</c> without <c>esac</c>, a stray <c>)</c> or an unclosed <c>$(</c>; dash is the /bin/sh of
/// Debian and Ubuntu guests, is in the agent image, and is the strictest common sh, so what it accepts the guest's sh
/// parses too. The command goes in on stdin (never in an argument), and is parsed twice: alone, and inside
/// <c>{ … }</c> — a here-document (<c>cat &lt;&lt;EOF</c>) is accepted alone, ending at end of input, but in the
/// generated script it would swallow every later line; inside braces it swallows the closing brace and fails.
/// </summary>
public static class ShellSyntax
{
    public const string Parser = "dash";

    /// <summary>Null when <paramref name="command"/> parses as a complete command list; else dash's reason.</summary>
    public static string? Problem(string command)
    {
        if (Parse(command + "\n") is { } alone)
        {
            return $"not valid POSIX sh: {alone}";
        }

        return Parse("{ " + command + "\n}\n") is null
            ? null
            : "leaves a here-document or a block open past the end of the line; put a multi-line script in a files entry and run that";
    }

    private static string? Parse(string script)
    {
        var start = new ProcessStartInfo(Parser)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-n");
        start.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"cannot check firstBootCommands: cannot run '{Parser}': {ex.Message}. Install it (Debian: make deps) and retry.", ex);
        }

        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.Write(script);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // dash stopped reading at the first syntax error; its exit status says so.
        }

        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode == 0)
        {
            return null;
        }

        // "dash: 1: Syntax error: Unterminated quoted string" -> "Syntax error: Unterminated quoted string".
        var message = stderr.GetAwaiter().GetResult().Trim();
        var syntax = message.IndexOf("Syntax error", StringComparison.Ordinal);
        return syntax >= 0 ? message[syntax..].Split('\n')[0] : $"{Parser} -n exited {process.ExitCode}";
    }
}
