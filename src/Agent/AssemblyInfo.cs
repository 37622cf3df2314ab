using System.Runtime.Versioning;

// The agent works on Linux disks with Linux tools (e2fsprogs, qemu-img); it targets Linux only.
[assembly: SupportedOSPlatform("linux")]
