namespace Host.Tools.Benchmarking;

/// <summary>The machine's 1-minute load average, printed beside benchmark numbers.</summary>
public static class HostLoad
{
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
