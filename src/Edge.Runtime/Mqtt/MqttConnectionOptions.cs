using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// Builds the MQTTnet client options from <see cref="MqttSettings"/> (one place for the service, <c>edgeseg check</c>
/// and the event echo): MQTT 5, clean start, keep-alive, credentials, TLS with a private CA (<see cref="MqttSettings.CaFile"/>:
/// chain built against that CA only, host name still checked) and a client certificate.
/// </summary>
internal static class MqttConnectionOptions
{
    /// <param name="settings">Validated settings.</param>
    /// <param name="host">Broker host (the embedded broker's when none is configured).</param>
    /// <param name="port">Broker port.</param>
    /// <param name="clientId">Client id to connect with.</param>
    /// <param name="willTopic">Topic of the retained <c>offline</c> last will; null = no will.</param>
    public static MqttClientOptions Build(MqttSettings settings, string host, int port, string clientId, string? willTopic)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(settings.KeepAlive)
            .WithTimeout(settings.OperationTimeout);
        if (willTopic is not null)
        {
            builder = builder
                .WithWillTopic(willTopic)
                .WithWillPayload(Encoding.UTF8.GetBytes(MqttTopics.Offline))
                .WithWillRetain(true)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (settings.Username is not null)
        {
            builder = builder.WithCredentials(settings.Username, settings.Password);
        }

        if (settings.UseTls)
        {
            var ca = settings.CaFile is null ? null : MqttTlsFiles.LoadCa(settings.CaFile);
            var client = settings.CertFile is null ? null : MqttTlsFiles.LoadClientCertificate(settings.CertFile, settings.KeyFile!);
            var allowUntrusted = settings.AllowUntrustedCertificates;
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls()
                    .WithTargetHost(host)
                    .WithCertificateValidationHandler(args => allowUntrusted || ValidateServerCertificate(args.Certificate, args.SslPolicyErrors, ca));
                if (client is not null)
                {
                    tls.WithClientCertificates([client]);
                }
            });
        }

        return builder.Build();
    }

    private static bool ValidateServerCertificate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? ca)
    {
        if (ca is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false; // name mismatch or no certificate
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
