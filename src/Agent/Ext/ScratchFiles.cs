using Imprint.Agent.Diagnostics;

namespace Imprint.Agent.Ext;

/// <summary>
/// Host-side files one filesystem operation needs (debugfs dumps, contents to write, xattr values), named with a
/// per-operation prefix inside ONE private (0700) folder per process. A folder per operation cost a mkdir and a
/// recursive delete each time — 0.2–3 ms apiece on the build machine's discard-mounted /tmp, and an edit made ~30 of
/// them. The files are deleted when the operation ends; the folder when the process exits (and it is made again if
/// something such as a tmp cleaner removed it meanwhile).
/// </summary>
internal sealed class ScratchFiles : IDisposable
{
    private static readonly Lock Gate = new();
    private static string? _root;
    private static long _next;

    private readonly string _prefix;
    private readonly List<string> _files = [];

    public ScratchFiles()
    {
        Directory = EnsureRoot();
        _prefix = Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture) + "-";
    }

    /// <summary>The shared folder (tests use it to check that nothing is left behind).</summary>
    public string Directory { get; }

    /// <summary>A path for <paramref name="name"/> private to this operation; deleted on <see cref="Dispose"/>.</summary>
    public string File(string name)
    {
        var path = Path.Combine(Directory, _prefix + name);
        _files.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            try
            {
                System.IO.File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: a leftover scratch file must not fail the operation; the folder goes at exit.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        _files.Clear();
    }

    private static string EnsureRoot()
    {
        lock (Gate)
        {
            if (_root is not null && System.IO.Directory.Exists(_root))
            {
                return _root;
            }

            var first = _root is null;
            _root = System.IO.Directory.CreateTempSubdirectory("imprint-ext-").FullName;
            AgentTrace.ScratchDirectoryMade();
            if (first)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteRoot();
            }

            return _root;
        }
    }

    private static void DeleteRoot()
    {
        lock (Gate)
        {
            try
            {
                if (_root is not null)
                {
                    System.IO.Directory.Delete(_root, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
