namespace Edge.Runtime.Mqtt;

/// <summary>Why a connection to the broker could not be made (see <see cref="MqttConnectFailure"/>).</summary>
public enum MqttConnectFailureKind
{
    /// <summary>TCP connect refused / host unreachable / name not resolved.</summary>
    Unreachable,

    /// <summary>No CONNACK within the operation timeout (broker stalled or overloaded).</summary>
    Timeout,

    /// <summary>The TLS handshake failed (untrusted or mismatching broker certificate, client certificate rejected).</summary>
    Tls,

    /// <summary>CONNACK: bad user name or password.</summary>
    BadCredentials,

    /// <summary>CONNACK: not authorized (ACL, banned, client id refused).</summary>
    NotAuthorized,

    /// <summary>CONNACK with any other refusal code (server unavailable, busy, protocol error, ...).</summary>
    Refused,

    /// <summary>Anything else (connection dropped during the handshake, ...).</summary>
    Other,
}
