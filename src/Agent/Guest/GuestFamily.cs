namespace Imprint.Agent.Guest;

/// <summary>Distribution families that differ in where they keep hostname, network and package state.</summary>
public enum GuestFamily
{
    Unknown,
    Debian,
    RedHat,
    Suse,
    Alpine,
    Arch,
}
