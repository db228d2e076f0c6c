namespace Edge.Runtime.Hosting;

/// <summary>One soak sample of the process: resident memory, managed heap, open file descriptors, threads.</summary>
public sealed record ResourceSample(double ElapsedSeconds, long FramesProcessed, double RssMb, double GcHeapMb, int FdCount, int Threads);
