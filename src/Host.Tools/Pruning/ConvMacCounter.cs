using Host.Tools.Models;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>
/// Multiply-accumulates of a network's convolutions for one [1,3,H,W] image, measured by running it once with forward
/// hooks: Conv2d = output elements x (in/groups x kh x kw); ConvTranspose2d = input elements x (out x kh x kw).
/// BatchNorm, activations, pooling and resizing are not counted (pruning's own figure; the general profiler is
/// the quantization branch's).
/// </summary>
public static class ConvMacCounter
{
    public static long Count(SegmentationNetwork network, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(network);
        long macs = 0;
        var removers = new List<Action>();
        try
        {
            foreach (var (_, module) in network.named_modules())
            {
                switch (module)
                {
                    case Conv2dLayer conv:
                        var convHook = conv.register_forward_hook((m, input, output) =>
                        {
                            macs += output.numel() * conv.Weight.shape[1] * conv.Kernel[0] * conv.Kernel[1];
                            return output;
                        });
                        removers.Add(convHook.remove);
                        break;
                    case ConvTranspose2dLayer convT:
                        var convTHook = convT.register_forward_hook((m, input, output) =>
                        {
                            macs += input.numel() * convT.OutChannels * convT.Kernel[0] * convT.Kernel[1];
                            return output;
                        });
                        removers.Add(convTHook.remove);
                        break;
                }
            }

            network.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            network.call(zeros(1, 3, height, width));
        }
        finally
        {
            foreach (var remove in removers)
            {
                remove();
            }
        }

        return macs;
    }
}
