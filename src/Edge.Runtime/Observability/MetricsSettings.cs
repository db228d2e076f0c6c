using System.Net;
using System.Net.Sockets;

namespace Edge.Runtime.Observability;

/// <summary>
/// Settings <c>metrics</c>: the Prometheus endpoint of <c>edgeseg run</c> (docs/runtime.md). Off by default; on the
/// vehicle it listens on the loopback interface only unless <see cref="Bind"/> says otherwise.
/// </summary>
public sealed record MetricsSettings
{
    public const string DefaultBind = "127.0.0.1";

    /// <summary>TCP port of <c>http://&lt;bind&gt;:&lt;port&gt;/metrics</c>; 0 = no endpoint.</summary>
    public int Port { get; init; }

    /// <summary>IP address to listen on: <c>127.0.0.1</c> (default), an interface's address, or <c>0.0.0.0</c> / <c>::</c> for all.</summary>
    public string Bind { get; init; } = DefaultBind;

    public bool Enabled => Port != 0;

    /// <summary>Rule violations (field, expected, actual) under <paramref name="prefix"/>; empty when valid.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (Port is < 0 or > 65535)
        {
            yield return $"{prefix}.port: expected 1..65535, or 0 for no metrics endpoint, got {Port}";
        }

        if (!IPAddress.TryParse(Bind, out _))
        {
            yield return $"{prefix}.bind: expected an IP address (127.0.0.1, 0.0.0.0 for every interface, ::1, ...), got '{Bind}'";
        }
    }

    /// <summary>The host part of the HTTP listener prefix: <c>+</c> (every interface) for 0.0.0.0 / ::, brackets around IPv6.</summary>
    public string ListenerHost()
    {
        var address = IPAddress.Parse(Bind);
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "+";
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }
}
