namespace Imprint.Agent.Lvm;

/// <summary>One entry of a section: either <c>name = value</c> or a nested <c>name { … }</c> section.</summary>
public sealed record LvmConfigEntry(string Name, LvmConfigValue? Value, LvmConfigSection? Section);
