namespace Host.Tools.Import;

/// <summary>
/// A Python global referenced by a pickle and kept as a name, e.g. <c>torch.qint8</c> (a dtype) or
/// <c>torch.per_channel_affine</c> (a qscheme).
/// </summary>
public sealed record PythonGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;

    public override string ToString() => FullName;
}
