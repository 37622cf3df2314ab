using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Imprint.Operator.Tests.Charts.Support;

/// <summary>Runs a script with Debian's lua5.4 (env LUA overrides) the way Argo CD does: the object as global <c>obj</c>.</summary>
internal static class Lua
{
    private static readonly Lazy<string> Interpreter = new(Find);

    /// <summary>Returns the script's result table's status and message.</summary>
    public static (string Status, string Message) RunHealth(string script, JsonObject obj)
    {
        var driver = $"obj = {Literal(obj)}\nlocal hs = dofile({Quote(script)})\nio.write(hs.status, \"\\n\", hs.message)\n";
        var start = new ProcessStartInfo(Interpreter.Value) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-");
        using var process = Process.Start(start)!;
        process.StandardInput.Write(driver);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"lua failed ({process.ExitCode}): {error}");
        var lines = output.Split('\n', 2);
        return (lines[0], lines.Length > 1 ? lines[1] : "");
    }

    /// <summary>A JSON value as a Lua table constructor (objects keyed by name, arrays 1-based).</summary>
    public static string Literal(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject map => "{" + string.Join(", ", map.Select(e => $"[{Quote(e.Key)}] = {Literal(e.Value)}")) + "}",
        JsonArray list => "{" + string.Join(", ", list.Select(Literal)) + "}",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Quote(value.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.ToJsonString(),
            var kind => throw new ArgumentException($"no Lua literal for {kind}"),
        },
        _ => throw new ArgumentException($"no Lua literal for {node.GetType().Name}"),
    };

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ when c < ' ' => "\\" + ((int)c).ToString("D3", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("LUA");
        var candidates = new[] { configured, "/usr/bin/lua5.4", "/usr/local/bin/lua5.4" };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            ?? throw new InvalidOperationException("lua5.4 not found: apt-get install lua5.4 (make test does) or set LUA=/path/to/lua");
    }
}
