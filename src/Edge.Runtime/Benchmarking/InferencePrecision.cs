namespace Edge.Runtime.Benchmarking;

/// <summary>Arithmetic precision asked of the execution provider (<c>edgeseg bench --precision</c>).</summary>
public enum InferencePrecision
{
    /// <summary>float32 everywhere (what the CPU and CUDA providers run for the fp32 models).</summary>
    Fp32,

    /// <summary>TensorRT fp16 kernels (<c>trt_fp16_enable</c>); no other provider converts an fp32 model.</summary>
    Fp16,

    /// <summary>TensorRT int8 (<c>trt_int8_enable</c>, fp16 fallback) or a QDQ model's int8 kernels on CPU.</summary>
    Int8,
}
