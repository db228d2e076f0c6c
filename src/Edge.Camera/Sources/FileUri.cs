namespace Edge.Camera.Sources;

/// <summary>Turns <c>file:///path</c> into <c>/path</c>; other strings are returned unchanged.</summary>
internal static class FileUri
{
    public const string Scheme = "file://";

    public static string LocalPath(string uri) =>
        uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? uri[Scheme.Length..] : uri;
}
