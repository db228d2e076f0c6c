namespace Host.Tools.Import;

/// <summary>
/// A Python object the reader does not reconstruct itself: the callable (class or function) that built it, the
/// arguments it was called with and the state applied by BUILD (<c>__setstate__</c>), if any.
/// </summary>
public sealed class PythonObject
{
    public PythonObject(PythonGlobal callable, IReadOnlyList<object?> arguments)
    {
        Callable = callable;
        Arguments = arguments;
    }

    public PythonGlobal Callable { get; }

    public IReadOnlyList<object?> Arguments { get; }

    public object? State { get; internal set; }

    public override string ToString() => $"{Callable}({Arguments.Count} args)";
}
