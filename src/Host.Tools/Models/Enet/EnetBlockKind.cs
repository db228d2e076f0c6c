namespace Host.Tools.Models.Enet;

/// <summary>The kinds of ENet bottleneck.</summary>
public enum EnetBlockKind
{
    Regular,
    Asymmetric,
    Downsampling,
    Upsampling,
}
