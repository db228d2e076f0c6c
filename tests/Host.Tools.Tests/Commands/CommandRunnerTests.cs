using Edge.Runtime.Commands;
using Host.Tools.Commands;
using Host.Tools.Import;
using Microsoft.Extensions.Logging.Abstractions;

namespace Host.Tools.Tests.Commands;

/// <summary>edgeseg-tools exits with the codes of the runtime's table: a code means the same thing in both binaries.</summary>
public sealed class CommandRunnerTests
{
    public static TheoryData<Exception, int> Failures() => new()
    {
        { new FileNotFoundException("no model"), ExitCodes.MissingFile },
        { new DirectoryNotFoundException("no folder"), ExitCodes.MissingFile },
        { new InvalidDataException("not a png"), ExitCodes.Failure },
        { new ArgumentException("--format: expected cityscapes or camvid"), ExitCodes.Failure },
        { new CheckpointFormatException("a.pth", "not a checkpoint"), ExitCodes.Failure },
        { new Edge.Runtime.Inference.ModelLoadException("bad onnx"), ExitCodes.Failure },
        { new NotSupportedException("no such layer"), ExitCodes.Failure },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Expected_failures_exit_with_the_runtime_tables_code(Exception failure, int expected)
    {
        var code = CommandRunner.Run(NullLoggerFactory.Instance, "test", _ => throw failure);

        Assert.Equal(expected, code);
    }

    [Fact]
    public void Body_code_passes_through_and_unexpected_exceptions_are_not_swallowed()
    {
        Assert.Equal(ExitCodes.Success, CommandRunner.Run(NullLoggerFactory.Instance, "test", _ => ExitCodes.Success));
        Assert.Equal(ExitCodes.Failure, CommandRunner.Run(NullLoggerFactory.Instance, "test", _ => ExitCodes.Failure));
        Assert.Throws<InvalidOperationException>(() => CommandRunner.Run(NullLoggerFactory.Instance, "test", _ => throw new InvalidOperationException("bug")));
    }

    [Fact]
    public void Runtime_codes_keep_their_meaning()
    {
        Assert.Equal((0, 1, 2, 3, 4), (ExitCodes.Success, ExitCodes.Failure, ExitCodes.MissingFile, ExitCodes.QueueLocked, ExitCodes.QueueNotWritable));
    }
}
