using System.Reflection;

namespace Imprint.Testing.NodeSimulator;

/// <summary>Where the simulated node keeps volumes and pods, which agent it runs, and timings.</summary>
public sealed record NodeSimulatorOptions
{
    /// <summary>Host folder for volumes (<c>volumes/</c>), snapshots (<c>snapshots/</c>) and pod sandboxes (<c>pods/</c>).</summary>
    public required string Root { get; init; }

    /// <summary>The agent binary run for <c>command: ["imprint"]</c>; null finds the solution's build output.</summary>
    public string? ImprintPath { get; init; }

    /// <summary>Build configuration of that output (Debug/Release); null takes the simulator assembly's own.</summary>
    public string? Configuration { get; init; }

    public string NodeName { get; init; } = "sim-node";

    /// <summary>
    /// Hand Block volumes to pods as loop devices over their backing files (true), as plain files (false), or loop
    /// devices where they can be attached (null: root with /dev/loop-control), else files.
    /// </summary>
    public bool? LoopDevices { get; init; }

    /// <summary>The CSI driver name of class-less PVCs and of classes made by <see cref="NodeSimulator.CreateStorageClass"/>.</summary>
    public string Provisioner { get; init; } = "csi.simulator.imprint.dev";

    /// <summary>How often a running pod's log is pushed to the fake server.</summary>
    public TimeSpan LogInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Delay before a failed Job pod is replaced. The real job controller waits 10 s, doubling per failure; tests
    /// default to none so backoffLimit runs stay fast.
    /// </summary>
    public TimeSpan PodFailureBackoff { get; init; } = TimeSpan.Zero;

    /// <summary>Upper bound on the SIGTERM→SIGKILL grace (the pod's terminationGracePeriodSeconds, default 30 s, is capped).</summary>
    public TimeSpan MaxTerminationGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The build configuration an assembly was compiled in, e.g. to pass the test assembly's own.</summary>
    public static string? ConfigurationOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
}
