namespace Imprint.Testing.NodeSimulator;

/// <summary>A StorageClass's <c>volumeBindingMode</c>.</summary>
public enum VolumeBindingMode
{
    Immediate,
    WaitForFirstConsumer,
}
