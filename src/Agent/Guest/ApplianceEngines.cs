namespace Imprint.Agent.Guest;

/// <summary>The appliance engine this build ships, if any: the one line an appliance engine changes to register itself.</summary>
public static class ApplianceEngines
{
    /// <summary>Null until an appliance engine (libguestfs) is built in; non-ext roots then end with exit 5.</summary>
    public static IApplianceEngineFactory? Installed => null;
}
