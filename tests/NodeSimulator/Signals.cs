using System.Runtime.InteropServices;

namespace Imprint.Testing.NodeSimulator;

/// <summary>kill(2): .NET can only SIGKILL a process, but a kubelet stops containers with SIGTERM first.</summary>
internal static partial class Signals
{
    public const int SigTerm = 15;

    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
