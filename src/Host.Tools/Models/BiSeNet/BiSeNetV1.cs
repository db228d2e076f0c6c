using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>
/// BiSeNetV1 with a ResNet-18 context path: spatial path (three stride-2 ConvBNReLU + 1x1 to 128), context path with
/// attention refinement on the 1/16 and 1/32 features plus global average pooling, feature fusion, and a head whose
/// 1/8 output is up-sampled x8 (bilinear). No checkpoint exists: random initialisation, trained with the host tools.
/// </summary>
public sealed class BiSeNetV1 : SegmentationNetwork
{
    private readonly ResNet18 _resnet;
    private readonly AttentionRefinement _arm16;
    private readonly AttentionRefinement _arm32;
    private readonly ConvBnRelu _convHead32;
    private readonly ConvBnRelu _convHead16;
    private readonly ConvBnRelu _convAvg;
    private readonly SequentialLayer _spatialPath;
    private readonly FeatureFusion _ffm;
    private readonly ConvBnRelu _headConv;
    private readonly Conv2dLayer _headOut;

    public BiSeNetV1(int numClasses = 20)
        : base(nameof(BiSeNetV1), numClasses)
    {
        _resnet = new ResNet18();
        _arm16 = new AttentionRefinement(256, 128);
        _arm32 = new AttentionRefinement(512, 128);
        _convHead32 = new ConvBnRelu(128, 128, 3);
        _convHead16 = new ConvBnRelu(128, 128, 3);
        _convAvg = new ConvBnRelu(512, 128, 1, padding: 0);
        _spatialPath = new SequentialLayer(new ConvBnRelu(3, 64, 7, 2, 3), new ConvBnRelu(64, 64, 3, 2, 1),
            new ConvBnRelu(64, 64, 3, 2, 1), new ConvBnRelu(64, 128, 1, 1, 0));
        _ffm = new FeatureFusion(256, 256);
        _headConv = new ConvBnRelu(256, 256, 3);
        _headOut = new Conv2dLayer(256, numClasses, 1, bias: false);
        register_module("resnet", _resnet);
        register_module("arm16", _arm16);
        register_module("arm32", _arm32);
        register_module("conv_head32", _convHead32);
        register_module("conv_head16", _convHead16);
        register_module("conv_avg", _convAvg);
        register_module("spatial_path", _spatialPath);
        register_module("ffm", _ffm);
        register_module("head_conv", _headConv);
        register_module("head_out", _headOut);
    }

    public override string Architecture => "bisenetv1";

    public override int SizeMultiple => 32;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (feat8, feat16, feat32) = _resnet.call(input);
        var avg = _convAvg.call(feat32.mean([2, 3], keepdim: true));
        var feat32Up = Nearest(_arm32.call(feat32) + avg, feat16);
        feat32Up = _convHead32.call(feat32Up);
        var feat16Up = Nearest(_arm16.call(feat16) + feat32Up, feat8);
        feat16Up = _convHead16.call(feat16Up);
        var fused = _ffm.call(_spatialPath.call(input), feat16Up);
        var logits = _headOut.call(_headConv.call(fused));
        return nn.functional.interpolate(logits, size: [input.shape[2], input.shape[3]], mode: InterpolationMode.Bilinear,
            align_corners: false).MoveToOuterDisposeScope();
    }

    public override string Emit(OnnxGraphBuilder g, string input)
    {
        var (h, w) = g.InputSize;
        string feat8, feat16, feat32;
        using (g.Scope("resnet"))
        {
            (feat8, feat16, feat32) = _resnet.Emit(g, input);
        }

        var avg = _convAvg.EmitAs(g, "conv_avg", g.GlobalAveragePool(feat32));
        var feat32Up = g.Resize(g.Add(_arm32.EmitAs(g, "arm32", feat32), avg), [1, 128, h / 16, w / 16], linear: false);
        feat32Up = _convHead32.EmitAs(g, "conv_head32", feat32Up);
        var feat16Up = g.Resize(g.Add(_arm16.EmitAs(g, "arm16", feat16), feat32Up), [1, 128, h / 8, w / 8], linear: false);
        feat16Up = _convHead16.EmitAs(g, "conv_head16", feat16Up);
        var spatial = _spatialPath.EmitAs(g, "spatial_path", input);
        string fused;
        using (g.Scope("ffm"))
        {
            fused = _ffm.Emit(g, spatial, feat16Up);
        }

        var logits = _headOut.EmitAs(g, "head_out", _headConv.EmitAs(g, "head_conv", fused));
        return g.Resize(logits, [1, NumClasses, h, w], linear: true);
    }

    private static Tensor Nearest(Tensor x, Tensor like) =>
        nn.functional.interpolate(x, size: [like.shape[2], like.shape[3]], mode: InterpolationMode.Nearest);
}
