using Imprint.Agent.Errors;

namespace Imprint.Agent.Disk;

/// <summary>Checks a path the user named as a disk or source before anything opens it, so the error says what it is.</summary>
public static class SourcePath
{
    /// <summary>Exit 3 when <paramref name="path"/> is a directory or does not exist; <paramref name="role"/> names it ("disk", "source").</summary>
    public static void RequireFile(string path, string role)
    {
        if (Directory.Exists(path))
        {
            throw ImprintException.NotFound($"{role} '{path}' is a directory, not a disk image");
        }

        if (!File.Exists(path))
        {
            throw ImprintException.NotFound($"{role} '{path}' does not exist");
        }
    }
}
