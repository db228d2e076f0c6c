using System.Runtime.InteropServices;

namespace Edge.Runtime.Benchmarking;

/// <summary>What a benchmark ran on.</summary>
public sealed record MachineInfo
{
    public required int Cores { get; init; }

    public required string Os { get; init; }

    public required string Architecture { get; init; }

    public required string Runtime { get; init; }

    public string? Cpu { get; init; }

    public static MachineInfo Current() => new()
    {
        Cores = Environment.ProcessorCount,
        Os = RuntimeInformation.OSDescription,
        Architecture = RuntimeInformation.OSArchitecture.ToString(),
        Runtime = RuntimeInformation.FrameworkDescription,
        Cpu = ReadCpuModel(),
    };

    private static string? ReadCpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            if (!File.Exists(cpuInfo))
            {
                return null;
            }

            var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
