using System.Runtime.CompilerServices;
using Host.Tools.Native;

namespace Host.Tools.Tests.Support;

/// <summary>Applies the host tools' oneDNN cap before any test touches libtorch (tests call torch directly too).</summary>
internal static class NativeSetup
{
#pragma warning disable CA2255 // runs before the first torch call of this test assembly
    [ModuleInitializer]
    internal static void Initialize() => OneDnnIsaCap.Apply();
#pragma warning restore CA2255
}
