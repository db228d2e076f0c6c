using System.Diagnostics;
using System.Text.Json;
using Edge.Runtime.Tests.Support;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Deployment;

/// <summary>deploy/jetson/install.sh against temporary roots (--root installs files, --dry-run writes nothing).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallScriptTests(ITestOutputHelper testOutput)
{
    private static readonly string Script = RepoPaths.File("deploy/jetson/install.sh");
    private static readonly string UnitSource = RepoPaths.File("deploy/jetson/edgeseg.service");
    private static readonly string Fp16Template = RepoPaths.File("deploy/jetson/config/edgeseg.csi-tensorrt-fp16.json");
    private readonly string _dir = TestPaths.NewTempDirectory();

    [Fact]
    public void Root_install_lays_out_runtime_settings_state_cache_and_unit_and_only_prints_system_actions()
    {
        var (publish, model, ort) = MakeInputs();
        var root = Path.Combine(_dir, "root");

        var (code, stdout, stderr) = Run("--publish", publish, "--model", model, "--onnxruntime", ort, "--mosquitto", "--root", root);

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(root, "opt/edgeseg/edgeseg")));
        Assert.Equal("jetpack-gpu-build", File.ReadAllText(Path.Combine(root, "opt/edgeseg/libonnxruntime.so")));
        Assert.True(File.Exists(Path.Combine(root, "opt/edgeseg/libonnxruntime_providers_tensorrt.so")));
        Assert.Equal("jetpack-shared", File.ReadAllText(Path.Combine(root, "opt/edgeseg/libonnxruntime_providers_shared.so")));
        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(Path.Combine(root, "opt/edgeseg/models/enet.onnx")));
        Assert.True(File.Exists(Path.Combine(root, "opt/edgeseg/models/enet.json")));
        Assert.Equal(File.ReadAllText(Fp16Template), File.ReadAllText(Path.Combine(root, "etc/edgeseg/edgeseg.json")));
        Assert.True(Directory.Exists(Path.Combine(root, "var/lib/edgeseg")));
        Assert.True(Directory.Exists(Path.Combine(root, "var/cache/edgeseg/trt")));
        Assert.Equal(File.ReadAllText(UnitSource), File.ReadAllText(Path.Combine(root, "etc/systemd/system/edgeseg.service")));
        Assert.True(File.Exists(Path.Combine(root, "etc/mosquitto/conf.d/edgeseg.conf")));
        Assert.False(Directory.Exists(Path.Combine(root, "opt/edgeseg.new")));
        Assert.False(Directory.Exists(Path.Combine(root, "opt/edgeseg.old")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(Path.Combine(root, "var/lib/edgeseg")));
        Assert.Contains("skipped (--root): useradd --system", stdout, StringComparison.Ordinal);
        Assert.Contains("skipped (--root): systemctl enable edgeseg.service", stdout, StringComparison.Ordinal);
        Assert.Contains("skipped (--root): chown -R edgeseg:edgeseg /var/lib/edgeseg /var/cache/edgeseg", stdout, StringComparison.Ordinal);
        var warmup = stdout.Split('\n').Single(l => l.Contains("runuser", StringComparison.Ordinal));
        Assert.Contains("/opt/edgeseg/edgeseg bench --model /opt/edgeseg/models/enet.onnx --provider tensorrt --precision fp16 --iterations 1", warmup, StringComparison.Ordinal);
        Assert.Contains("--trt-engine-cache /var/cache/edgeseg/trt", warmup, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_install_keeps_the_edited_settings_and_earlier_models()
    {
        var (publish, model, _) = MakeInputs();
        var root = Path.Combine(_dir, "root");
        var settings = Path.Combine(root, "etc/edgeseg/edgeseg.json");

        var first = Run("--publish", publish, "--model", model, "--root", root, "--no-warmup");
        File.WriteAllText(settings, "{ \"device_id\": \"edited-by-operator\" }");
        var second = Run("--publish", publish, "--root", root, "--no-warmup");

        Assert.True(first.Code == 0 && second.Code == 0, first.Stderr + second.Stderr);
        Assert.Equal("{ \"device_id\": \"edited-by-operator\" }", File.ReadAllText(settings));
        Assert.Contains("keeping existing /etc/edgeseg/edgeseg.json", second.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "opt/edgeseg/models/enet.onnx")), "models from the first install must survive an upgrade");
        Assert.DoesNotContain("runuser", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dry_run_prints_every_action_and_writes_nothing()
    {
        var (publish, model, _) = MakeInputs();
        var root = Path.Combine(_dir, "root");
        Directory.CreateDirectory(root);

        var (code, stdout, stderr) = Run("--publish", publish, "--model", model, "--root", root, "--dry-run", "--precision", "int8");

        Assert.True(code == 0, stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        testOutput.WriteLine(stdout);
        Assert.Contains($"would run: install -m 0644 {UnitSource} {root}/etc/systemd/system/edgeseg.service", stdout, StringComparison.Ordinal);
        Assert.Contains($"would run: install -m 0640 {Fp16Template} {root}/etc/edgeseg/edgeseg.json", stdout, StringComparison.Ordinal);
        Assert.Contains($"would run: mkdir -p {root}/var/lib/edgeseg {root}/var/cache/edgeseg/trt", stdout, StringComparison.Ordinal);
        Assert.Contains("would run: useradd --system", stdout, StringComparison.Ordinal);
        Assert.Contains("would run: systemctl daemon-reload", stdout, StringComparison.Ordinal);
        Assert.Contains("--precision int8 --iterations 1", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("+ ", stdout.Split('\n').Select(l => l.Length > 2 ? l[..2] : l), StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("--precision", "fp8", "expected fp32, fp16 or int8, got 'fp8'")]
    [InlineData("--model", "/nonexistent/m.onnx", "'/nonexistent/m.onnx' not found")]
    [InlineData("--config", "/nonexistent/c.json", "template '/nonexistent/c.json' not found")]
    public void Bad_arguments_fail_before_any_change_naming_the_value(string option, string value, string message)
    {
        var (publish, _, _) = MakeInputs();
        var root = Path.Combine(_dir, "root");

        var (code, _, stderr) = Run("--publish", publish, "--root", root, option, value);

        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "opt")));
    }

    [Fact]
    public void Missing_publish_folder_names_make_publish_jetson()
    {
        var (code, _, stderr) = Run("--publish", Path.Combine(_dir, "nothing"), "--root", Path.Combine(_dir, "root"));

        Assert.Equal(1, code);
        Assert.Contains("make publish-jetson", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_unit_passes_systemd_analyze_verify_when_available_and_has_the_required_keys()
    {
        var (publish, _, _) = MakeInputs();
        var root = Path.Combine(_dir, "root");
        Assert.Equal(0, Run("--publish", publish, "--root", root, "--no-warmup").Code);
        var installed = Path.Combine(root, "etc/systemd/system/edgeseg.service");
        var unit = UnitFile.Parse(File.ReadAllText(installed));

        Assert.Equal("notify", unit.Single("Service", "Type"));
        Assert.Equal("main", unit.Single("Service", "NotifyAccess"));
        Assert.Equal("always", unit.Single("Service", "Restart"));
        Assert.Equal("edgeseg", unit.Single("Service", "User"));
        Assert.InRange(int.Parse(unit.Single("Service", "WatchdogSec"), System.Globalization.CultureInfo.InvariantCulture), 5, 120);
        Assert.Equal("/opt/edgeseg/edgeseg run --config /etc/edgeseg/edgeseg.json", unit.Single("Service", "ExecStart"));
        Assert.Equal("/var/lib/edgeseg /var/cache/edgeseg", unit.Single("Service", "ReadWritePaths"));
        Assert.Equal("multi-user.target", unit.Single("Install", "WantedBy"));
        Assert.False(unit.Has("Service", "PrivateTmp"), "nvargus (CSI cameras) talks over a socket in /tmp");
        Assert.Equal("0", unit.Single("Unit", "StartLimitIntervalSec"));

        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            testOutput.WriteLine("systemd-analyze not installed: only the keys above were checked");
            return;
        }

        // verify checks ExecStart's executable: point it at the one installed under the temporary root.
        var copy = Path.Combine(_dir, "edgeseg.service");
        File.WriteAllText(copy, File.ReadAllText(installed).Replace("ExecStart=/opt/edgeseg/", $"ExecStart={root}/opt/edgeseg/", StringComparison.Ordinal));
        var (code, stdout, stderr) = Exec(analyze, "verify", "--man=no", copy);
        testOutput.WriteLine(stdout + stderr);
        Assert.Equal(0, code);
        var complaints = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains("edgeseg.service", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(complaints);
    }

    [Fact]
    public void Systemd_analyze_verify_check_catches_a_misspelt_key()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        var broken = File.ReadAllText(UnitSource).Replace("WatchdogSec=", "WatchdogSecs=", StringComparison.Ordinal);

        Assert.False(UnitFile.Parse(broken).Has("Service", "WatchdogSec"));
        if (analyze is not null)
        {
            var copy = Path.Combine(_dir, "edgeseg.service");
            File.WriteAllText(copy, broken.Replace("ExecStart=/opt/edgeseg/edgeseg", "ExecStart=/bin/true", StringComparison.Ordinal));
            Assert.Contains("Unknown key 'WatchdogSecs'", Exec(analyze, "verify", "--man=no", copy).Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("edgeseg.csi-tensorrt-fp16.json", "fp16")]
    [InlineData("edgeseg.csi-tensorrt-int8.json", "int8")]
    public void Settings_templates_use_the_csi_camera_tensorrt_first_the_install_cache_and_the_tls_broker(string file, string precision)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.File($"deploy/jetson/config/{file}")));
        var root = doc.RootElement;
        var model = root.GetProperty("model");
        var mosquitto = File.ReadAllText(RepoPaths.File("deploy/jetson/mosquitto/edgeseg.conf"));

        Assert.Equal("csi://0", root.GetProperty("source").GetProperty("uri").GetString());
        Assert.Equal(["tensorrt", "cuda", "cpu"], model.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
        Assert.StartsWith("/opt/edgeseg/models/", model.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(precision, model.GetProperty("tensorrt").GetProperty("precision").GetString());
        Assert.Equal("/var/cache/edgeseg/trt", model.GetProperty("tensorrt").GetProperty("engine_cache_dir").GetString());
        var mqtt = root.GetProperty("mqtt");
        Assert.True(mqtt.GetProperty("tls").GetBoolean());
        Assert.Contains($"listener {mqtt.GetProperty("port").GetInt32()}\n", mosquitto, StringComparison.Ordinal);
        Assert.Contains("allow_anonymous false", mosquitto, StringComparison.Ordinal);
        Assert.DoesNotContain("allow_anonymous true", mosquitto, StringComparison.Ordinal);
        Assert.Contains("password_file /etc/mosquitto/edgeseg.passwd", mosquitto, StringComparison.Ordinal);
        Assert.Contains("keyfile /etc/mosquitto/certs/server.key", mosquitto, StringComparison.Ordinal);
    }

    private (string Publish, string Model, string OnnxRuntime) MakeInputs()
    {
        var publish = Path.Combine(_dir, "publish");
        Directory.CreateDirectory(publish);
        var exe = Path.Combine(publish, "edgeseg");
        File.WriteAllText(exe, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(publish, "libonnxruntime.so"), "nuget-cpu-build");
        File.WriteAllText(Path.Combine(publish, "libonnxruntime_providers_shared.so"), "nuget-cpu-build");

        var models = Path.Combine(_dir, "models");
        Directory.CreateDirectory(models);
        var model = new TinyConvModel().WriteTo(models, "enet.onnx");
        File.WriteAllText(Path.Combine(models, "enet.json"), "{}");

        var ort = Path.Combine(_dir, "jetpack-ort");
        Directory.CreateDirectory(ort);
        File.WriteAllText(Path.Combine(ort, "libonnxruntime.so.1.20.0"), "jetpack-gpu-build");
        File.CreateSymbolicLink(Path.Combine(ort, "libonnxruntime.so"), "libonnxruntime.so.1.20.0");
        File.WriteAllText(Path.Combine(ort, "libonnxruntime_providers_tensorrt.so"), "trt");
        File.WriteAllText(Path.Combine(ort, "libonnxruntime_providers_shared.so"), "jetpack-shared");
        return (publish, model, ort);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => Exec("/bin/bash", [Script, .. args]);

    private static (int Code, string Stdout, string Stderr) Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
