using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Host.Tools.Native;

/// <summary>
/// Caps the instruction set of libtorch's oneDNN (3.7.1 in TorchSharp 0.107) on AMD processors with AVX-512.
/// There its AVX-512, AVX2 and AVX convolution kernels gave wrong results: NaN losses within 40 training steps and
/// ERFNet outputs that changed by up to 5.7 when all-zero filters were removed; with the cap every output matches to
/// 1e-7. The cap is set before libtorch loads (the variable is read once, at the first oneDNN primitive) and only where
/// neither <c>DNNL_MAX_CPU_ISA</c> nor <c>ONEDNN_MAX_CPU_ISA</c> is set already, so a user can always choose.
/// ONNX Runtime does not use oneDNN: inference speed is unaffected.
/// </summary>
public static partial class OneDnnIsaCap
{
    /// <summary>The ISA the cap sets.</summary>
    public const string CappedIsa = "SSE41";

    private static int _applied;

    /// <summary>What <see cref="Apply"/> decided, for logs: null when nothing was changed.</summary>
    public static string? Decision { get; private set; }

    /// <summary>True on an AMD processor that reports AVX-512 (the processors where the wrong kernels were seen).</summary>
    public static bool IsAffectedProcessor()
    {
        if (!Avx512F.IsSupported || !OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("vendor_id", StringComparison.Ordinal))
                {
                    return line.Contains("AuthenticAMD", StringComparison.Ordinal);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return false;
    }

    /// <summary>Sets the cap in the native environment when it applies. Idempotent; must run before the first torch call.</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA")) ||
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA")) ||
            !IsAffectedProcessor())
        {
            return;
        }

        // .NET keeps its own copy of the environment on Unix: libtorch reads the C library's, so set it there too.
        if (SetEnv("DNNL_MAX_CPU_ISA", CappedIsa, 1) == 0)
        {
            Environment.SetEnvironmentVariable("DNNL_MAX_CPU_ISA", CappedIsa);
            Decision = $"DNNL_MAX_CPU_ISA={CappedIsa} (AMD processor with AVX-512: libtorch's oneDNN AVX-512, AVX2 and AVX convolutions are wrong there)";
        }
    }

#pragma warning disable CA2255 // a module initializer is the only hook that runs before every torch call of this assembly
    [ModuleInitializer]
    internal static void Initialize() => Apply();
#pragma warning restore CA2255

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
