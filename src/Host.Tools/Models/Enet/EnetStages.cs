using Host.Tools.Export;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>Runs / emits ENet's bottleneck sequence, pairing each up-sampling block with the indices of the
/// down-sampling block it mirrors (last in, first out).</summary>
public static class EnetStages
{
    public static Tensor Forward(IEnumerable<IEnetBottleneck> blocks, Tensor x)
    {
        var indices = new Stack<Tensor>();
        foreach (var block in blocks)
        {
            switch (block.Kind)
            {
                case EnetBlockKind.Downsampling:
                    x = block.ForwardDown(x, out var idx);
                    indices.Push(idx);
                    break;
                case EnetBlockKind.Upsampling:
                    x = block.ForwardUp(x, indices.Pop());
                    break;
                default:
                    x = block.Forward(x);
                    break;
            }
        }

        return x;
    }

    public static string Emit(OnnxGraphBuilder g, IEnumerable<(string Name, IEnetBottleneck Block)> blocks, string x, UnpoolMode mode)
    {
        var indices = new Stack<PoolIndices>();
        foreach (var (name, block) in blocks)
        {
            using (g.Scope(name))
            {
                switch (block.Kind)
                {
                    case EnetBlockKind.Downsampling:
                        x = block.EmitDown(g, x, mode, out var idx);
                        indices.Push(idx);
                        break;
                    case EnetBlockKind.Upsampling:
                        x = block.EmitUp(g, x, indices.Pop());
                        break;
                    default:
                        x = block.Emit(g, x);
                        break;
                }
            }
        }

        return x;
    }
}
