namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>core/v1 PersistentVolumeAccessMode.</summary>
public enum PersistentVolumeAccessMode
{
    ReadWriteOnce,
    ReadOnlyMany,
    ReadWriteMany,
    ReadWriteOncePod,
}
