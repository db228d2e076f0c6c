using TorchSharp;

namespace Host.Tools;

internal static class Program
{
    public static int Main(string[] args)
    {
        using var t = torch.ones(2, 3);
        Console.WriteLine(t.sum().item<float>());
        return 0;
    }
}
