using System.Diagnostics;
using System.Globalization;

namespace Edge.Runtime.Benchmarking;

/// <summary>
/// The process's peak resident set size: <c>VmHWM</c> of <c>/proc/self/status</c> (Linux), else
/// <see cref="Process.PeakWorkingSet64"/>. Process-wide: includes the .NET runtime, ONNX Runtime and its arena.
/// </summary>
public sealed record PeakMemory
{
    public const string SourceVmHwm = "/proc/self/status VmHWM";
    public const string SourcePeakWorkingSet = "Process.PeakWorkingSet64";

    public required double PeakRssMb { get; init; }

    public required string Source { get; init; }

    public static PeakMemory Current()
    {
        var hwm = ReadVmHwmKb("/proc/self/status");
        if (hwm is { } kb)
        {
            return new PeakMemory { PeakRssMb = kb / 1024.0, Source = SourceVmHwm };
        }

        using var process = Process.GetCurrentProcess();
        return new PeakMemory { PeakRssMb = process.PeakWorkingSet64 / (1024.0 * 1024.0), Source = SourcePeakWorkingSet };
    }

    /// <summary>The <c>VmHWM:</c> value in kB of a <c>/proc/&lt;pid&gt;/status</c> file, null if absent or unreadable.</summary>
    public static long? ReadVmHwmKb(string statusPath)
    {
        try
        {
            if (!File.Exists(statusPath))
            {
                return null;
            }

            foreach (var line in File.ReadLines(statusPath))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    continue;
                }

                var parts = line["VmHWM:".Length..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
            }

            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
