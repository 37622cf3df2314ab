namespace Imprint.Agent.Guest;

/// <summary>The appliance engine this build ships, if any: the one line an appliance engine changes to register itself.</summary>
public static class ApplianceEngines
{
    /// <summary>The libguestfs engine (null would leave non-ext roots ending with exit 5).</summary>
    public static IApplianceEngineFactory? Installed => Appliance.LibguestfsEngine.Instance;
}
