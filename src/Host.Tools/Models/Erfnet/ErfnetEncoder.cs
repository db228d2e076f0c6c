using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Erfnet;

/// <summary>ERFNet encoder: Down(3,16), Down(16,64), 5 x nb1d(64), Down(64,128), 8 x nb1d(128, d = 2,4,8,16,...).</summary>
public sealed class ErfnetEncoder : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly ErfnetDownsampler initial_block;
    private readonly SequentialLayer layers;

    public ErfnetEncoder(bool foldedBatchNorm, BlockWidths? widths = null)
        : base(nameof(ErfnetEncoder))
    {
        initial_block = new ErfnetDownsampler(3, 16);
        var blocks = new List<nn.Module<Tensor, Tensor>> { new ErfnetDownsampler(16, 64) };
        for (var i = 0; i < 5; i++)
        {
            blocks.Add(new ErfnetNonBottleneck1d(64, 0.03, 1, foldedBatchNorm, widths?.For($"encoder.layers.{blocks.Count}")));
        }

        blocks.Add(new ErfnetDownsampler(64, 128));
        for (var i = 0; i < 2; i++)
        {
            foreach (var d in new long[] { 2, 4, 8, 16 })
            {
                blocks.Add(new ErfnetNonBottleneck1d(128, 0.3, d, foldedBatchNorm, widths?.For($"encoder.layers.{blocks.Count}")));
            }
        }

        layers = new SequentialLayer(blocks.ToArray());

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return layers.call(initial_block.call(input)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input) =>
        layers.EmitAs(g, "layers", initial_block.EmitAs(g, "initial_block", input));
}
