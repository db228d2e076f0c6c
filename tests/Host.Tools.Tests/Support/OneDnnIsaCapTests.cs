using Host.Tools.Native;

namespace Host.Tools.Tests.Support;

public sealed class OneDnnIsaCapTests
{
    [Fact]
    public void Cap_is_in_the_native_environment_on_affected_processors_unless_the_user_chose()
    {
        OneDnnIsaCap.Apply();
        var value = Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA");
        if (OneDnnIsaCap.Decision is not null)
        {
            Assert.True(OneDnnIsaCap.IsAffectedProcessor());
            Assert.Equal(OneDnnIsaCap.CappedIsa, value);
            Assert.Equal(OneDnnIsaCap.CappedIsa, ReadNativeEnvironment("DNNL_MAX_CPU_ISA"));
        }
        else
        {
            Assert.True(!OneDnnIsaCap.IsAffectedProcessor() || !string.IsNullOrEmpty(value)
                        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA")));
        }
    }

    /// <summary>The C library's environment (what libtorch sees), read back from /proc/self/environ is stale after
    /// setenv, so ask getenv directly.</summary>
    private static string? ReadNativeEnvironment(string name)
    {
        var p = NativeGetEnv(name);
        return p == IntPtr.Zero ? null : System.Runtime.InteropServices.Marshal.PtrToStringUTF8(p);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnv([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string name);
}
