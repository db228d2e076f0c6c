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
    private readonly ResNet18 resnet;
    private readonly AttentionRefinement arm16;
    private readonly AttentionRefinement arm32;
    private readonly ConvBnRelu conv_head32;
    private readonly ConvBnRelu conv_head16;
    private readonly ConvBnRelu conv_avg;
    private readonly SequentialLayer spatial_path;
    private readonly FeatureFusion ffm;
    private readonly ConvBnRelu head_conv;
    private readonly Conv2dLayer head_out;

    public BiSeNetV1(int numClasses = 20)
        : base(nameof(BiSeNetV1), numClasses)
    {
        resnet = new ResNet18();
        arm16 = new AttentionRefinement(256, 128);
        arm32 = new AttentionRefinement(512, 128);
        conv_head32 = new ConvBnRelu(128, 128, 3);
        conv_head16 = new ConvBnRelu(128, 128, 3);
        conv_avg = new ConvBnRelu(512, 128, 1, padding: 0);
        spatial_path = new SequentialLayer(new ConvBnRelu(3, 64, 7, 2, 3), new ConvBnRelu(64, 64, 3, 2, 1),
            new ConvBnRelu(64, 64, 3, 2, 1), new ConvBnRelu(64, 128, 1, 1, 0));
        ffm = new FeatureFusion(256, 256);
        head_conv = new ConvBnRelu(256, 256, 3);
        head_out = new Conv2dLayer(256, numClasses, 1, bias: false);

        RegisterComponents();
    }

    public override string Architecture => "bisenetv1";

    public override int SizeMultiple => 32;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (feat8, feat16, feat32) = resnet.call(input);
        var avg = conv_avg.call(feat32.mean([2, 3], keepdim: true));
        var feat32Up = Nearest(arm32.call(feat32) + avg, feat16);
        feat32Up = conv_head32.call(feat32Up);
        var feat16Up = Nearest(arm16.call(feat16) + feat32Up, feat8);
        feat16Up = conv_head16.call(feat16Up);
        var fused = ffm.call(spatial_path.call(input), feat16Up);
        var logits = head_out.call(head_conv.call(fused));
        return nn.functional.interpolate(logits, size: [input.shape[2], input.shape[3]], mode: InterpolationMode.Bilinear,
            align_corners: false).MoveToOuterDisposeScope();
    }

    public override string Emit(OnnxGraphBuilder g, string input)
    {
        var (h, w) = g.InputSize;
        string feat8, feat16, feat32;
        using (g.Scope("resnet"))
        {
            (feat8, feat16, feat32) = resnet.Emit(g, input);
        }

        var avg = conv_avg.EmitAs(g, "conv_avg", g.GlobalAveragePool(feat32));
        var feat32Up = g.Resize(g.Add(arm32.EmitAs(g, "arm32", feat32), avg), [1, 128, h / 16, w / 16], linear: false);
        feat32Up = conv_head32.EmitAs(g, "conv_head32", feat32Up);
        var feat16Up = g.Resize(g.Add(arm16.EmitAs(g, "arm16", feat16), feat32Up), [1, 128, h / 8, w / 8], linear: false);
        feat16Up = conv_head16.EmitAs(g, "conv_head16", feat16Up);
        var spatial = spatial_path.EmitAs(g, "spatial_path", input);
        string fused;
        using (g.Scope("ffm"))
        {
            fused = ffm.Emit(g, spatial, feat16Up);
        }

        var logits = head_out.EmitAs(g, "head_out", head_conv.EmitAs(g, "head_conv", fused));
        return g.Resize(logits, [1, NumClasses, h, w], linear: true);
    }

    private static Tensor Nearest(Tensor x, Tensor like) =>
        nn.functional.interpolate(x, size: [like.shape[2], like.shape[3]], mode: InterpolationMode.Nearest);
}
