namespace Imprint.Operator.Controllers.Configuration;

/// <summary>Clone behaviour (section <c>Imprint:Clone</c>).</summary>
public sealed class CloneOptions
{
    /// <summary>
    /// How long a CSI clone (or snapshot restore) may stay unbound before Auto falls back to a host-assisted copy.
    /// Provisioners that cannot clone leave the claim Pending with a ProvisioningFailed event rather than failing it.
    /// </summary>
    public int CsiCloneTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// Share of a Filesystem volume lost to the filesystem holding disk.img (CDI's default is 5.5%): the claim asks
    /// for disk size / (1 - overhead).
    /// </summary>
    public double FilesystemOverhead { get; set; } = 0.055;

    /// <summary>
    /// How often an object waiting for something the controllers do not watch looks again: a clone's GoldenImage, a
    /// missing Secret or ConfigMap, a GoldenImage's source PVC.
    /// </summary>
    public int GoldenImagePollSeconds { get; set; } = 10;

    /// <summary>
    /// How often a GoldenImage with spec.publish.dataSource looks again: for CDI when it is not installed, and at its
    /// DataSource otherwise (the operator does not watch DataSources, whose kind may be absent), to undo edits. Also the
    /// longest a GoldenImage with spec.updatePolicy (or old revisions) waits before looking at its schedule and at the
    /// clones that keep old revisions in use again: neither the clock nor a clone finishing is an event it watches.
    /// </summary>
    public int PublishRecheckSeconds { get; set; } = 300;

    /// <summary>How often a claim that is being provisioned is looked at.</summary>
    public int PvcPollSeconds { get; set; } = 3;
}
