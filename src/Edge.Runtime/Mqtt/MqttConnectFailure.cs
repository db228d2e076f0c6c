using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;
using MQTTnet.Exceptions;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// A failed connection attempt, classified: <see cref="Kind"/> and a human-readable <see cref="Reason"/> (the CONNACK
/// result code and reason string, the TLS error, the socket error). <see cref="Permanent"/> refusals (bad credentials,
/// not authorized) do not heal by retrying soon: the service keeps retrying at the longest backoff and logs an error.
/// </summary>
public sealed record MqttConnectFailure(MqttConnectFailureKind Kind, string Reason)
{
    /// <summary>Bad credentials or not authorized: fixing needs the operator (settings or broker ACL), not time.</summary>
    public bool Permanent => Kind is MqttConnectFailureKind.BadCredentials or MqttConnectFailureKind.NotAuthorized;

    /// <summary>A short operator hint for the kind (which setting to look at).</summary>
    public string Hint => Kind switch
    {
        MqttConnectFailureKind.BadCredentials => "check mqtt.username / mqtt.password",
        MqttConnectFailureKind.NotAuthorized => "check mqtt.username / mqtt.password (mosquitto answers a wrong password with 'not authorized' on MQTT 5) and the broker's ACL for this user / mqtt.client_id",
        MqttConnectFailureKind.Tls => "check mqtt.ca_file (the CA that signed the broker certificate), the broker host name in its certificate, mqtt.cert_file / mqtt.key_file",
        MqttConnectFailureKind.Unreachable => "check mqtt.host / mqtt.port and that the broker runs",
        MqttConnectFailureKind.Timeout => "the broker accepted TCP but did not answer (stalled or overloaded)",
        _ => "see the broker's log",
    };

    public override string ToString() => $"{Kind}: {Reason}";

    /// <summary>The failure a non-success CONNACK stands for.</summary>
    public static MqttConnectFailure FromResult(MqttClientConnectResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return FromCode(result.ResultCode, result.ReasonString);
    }

    /// <summary>
    /// Classifies an exception thrown by a connect attempt; <paramref name="timeout"/> is the operation timeout that
    /// applied. With <paramref name="tls"/>, a connection closed by the broker after TCP connected (reset, not connected)
    /// is a TLS failure: that is how a broker with <c>require_certificate</c> answers a missing or untrusted client certificate.
    /// </summary>
    public static MqttConnectFailure FromException(Exception exception, TimeSpan timeout, bool tls = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationException handshake:
                    return new MqttConnectFailure(MqttConnectFailureKind.Tls, $"TLS handshake failed: {Innermost(handshake)}");
                case SocketException { SocketErrorCode: SocketError.NotConnected or SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } closed when tls:
                    return new MqttConnectFailure(MqttConnectFailureKind.Tls, $"the broker closed the connection during the TLS handshake (client certificate missing or not trusted by the broker?): {closed.SocketErrorCode}");
                case SocketException socket:
                    return new MqttConnectFailure(MqttConnectFailureKind.Unreachable, $"{socket.SocketErrorCode}: {socket.Message}");
            }
        }

        // OpenSSL's errors during the handshake (e.g. "tlsv1 alert unknown ca" when the broker rejects the client
        // certificate) surface as IOException / SslException under MQTTnet's "Error while authenticating".
        if (tls && Chain(exception).Any(e => e.GetType().Name.Contains("Ssl", StringComparison.Ordinal) || e.Message.Contains("SSL", StringComparison.Ordinal)
            || e.Message.Contains("authenticating", StringComparison.OrdinalIgnoreCase)))
        {
            return new MqttConnectFailure(MqttConnectFailureKind.Tls, $"TLS handshake failed: {Innermost(exception)}");
        }

        if (exception is OperationCanceledException or TimeoutException or MqttCommunicationTimedOutException)
        {
            return new MqttConnectFailure(MqttConnectFailureKind.Timeout, $"no CONNACK within {timeout.TotalSeconds:0.###} s");
        }

        return new MqttConnectFailure(MqttConnectFailureKind.Other, Innermost(exception));
    }

    private static MqttConnectFailure FromCode(MqttClientConnectResultCode code, string? reasonString)
    {
        var kind = code switch
        {
            MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.BadAuthenticationMethod => MqttConnectFailureKind.BadCredentials,
            MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.Banned or MqttClientConnectResultCode.ClientIdentifierNotValid => MqttConnectFailureKind.NotAuthorized,
            _ => MqttConnectFailureKind.Refused,
        };
        var reason = string.IsNullOrWhiteSpace(reasonString) ? $"broker refused the connection: {code}" : $"broker refused the connection: {code} ({reasonString})";
        return new MqttConnectFailure(kind, reason);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static string Innermost(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message, StringComparer.Ordinal))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(" -> ", messages);
    }
}
