using System.IO.Ports;

namespace Edge.Runtime.Vehicle;

/// <summary>A GPS receiver on a serial port (e.g. <c>/dev/ttyTHS1</c>, <c>/dev/ttyUSB0</c>).</summary>
public sealed class SerialNmeaSource(string portName, int baudRate) : INmeaSource
{
    public string Description => $"serial {portName} @ {baudRate}";

    public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
        try
        {
            port.Open();
            return ValueTask.FromResult<Stream>(new OwningStream(port.BaseStream, port));
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    /// <summary>Disposes the port together with its base stream.</summary>
    private sealed class OwningStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
