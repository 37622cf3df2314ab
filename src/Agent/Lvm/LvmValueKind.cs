namespace Imprint.Agent.Lvm;

/// <summary>The value types of LVM's text configuration format.</summary>
public enum LvmValueKind
{
    String,
    Integer,
    Float,
    List,
}
