using Host.Tools.Commands;
using Host.Tools.Evaluation;

namespace Host.Tools.Tests.Evaluation.Components;

public sealed class ComponentOptionsTests
{
    [Fact]
    public void Component_threshold_is_one_number_for_every_method_or_one_per_method()
    {
        var all = new AnomalyEvaluationSettings { ModelPath = "m.onnx", DataPath = "d", ComponentThresholds = EvaluateCommand.ParseComponentThresholds("0.5") };
        Assert.Equal(0.5f, all.ComponentThresholdFor("MaxLogit"));
        Assert.Equal(0.5f, all.ComponentThresholdFor("VoidClass"));

        var some = new AnomalyEvaluationSettings
        {
            ModelPath = "m.onnx",
            DataPath = "d",
            ComponentThresholds = EvaluateCommand.ParseComponentThresholds("voidclass=0.5, MaxLogit=-4.25"),
        };
        some.Validate();
        Assert.Equal(0.5f, some.ComponentThresholdFor("VoidClass"));
        Assert.Equal(-4.25f, some.ComponentThresholdFor("MaxLogit"));
        Assert.Null(some.ComponentThresholdFor("MSP")); // best-F1

        Assert.Empty(EvaluateCommand.ParseComponentThresholds(null));
    }

    [Fact]
    public void Bad_component_options_are_errors_naming_the_option()
    {
        Assert.Contains("--component-threshold", Assert.Throws<ArgumentException>(() => EvaluateCommand.ParseComponentThresholds("VoidClass=high")).Message, StringComparison.Ordinal);
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => EvaluateCommand.ParseComponentThresholds("MSP=0.1,MSP=0.2")).Message, StringComparison.Ordinal);
        var unknown = new AnomalyEvaluationSettings { ModelPath = "m.onnx", DataPath = "d", ComponentThresholds = new Dictionary<string, float> { ["Entropyy"] = 1 } };
        Assert.Contains("unknown method 'Entropyy'", Assert.Throws<ArgumentException>(unknown.Validate).Message, StringComparison.Ordinal);
        var size = new AnomalyEvaluationSettings { ModelPath = "m.onnx", DataPath = "d", MinSegmentPixels = -1 };
        Assert.Contains("--min-segment-px", Assert.Throws<ArgumentException>(size.Validate).Message, StringComparison.Ordinal);
    }
}
