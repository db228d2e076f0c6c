using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// Loads the TLS files of the <c>mqtt</c> settings: the CA that signs the broker certificate (<c>mqtt.ca_file</c>, PEM
/// with one or more certificates, or DER) and the client certificate + private key (<c>mqtt.cert_file</c>,
/// <c>mqtt.key_file</c>, PEM; the key unencrypted PKCS#8, PKCS#1 RSA or SEC1 EC). Every failure is an
/// <see cref="ArgumentException"/> naming the field, what was expected and what was found.
/// </summary>
public static class MqttTlsFiles
{
    public const string CaField = "mqtt.ca_file";
    public const string CertField = "mqtt.cert_file";
    public const string KeyField = "mqtt.key_file";

    /// <summary>The CA certificate(s) in <paramref name="path"/>.</summary>
    public static X509Certificate2Collection LoadCa(string path)
    {
        var bytes = ReadAll(path, CaField, "a CA certificate (PEM or DER)");
        var collection = new X509Certificate2Collection();
        try
        {
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(bytes));
            }
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"{CaField}: expected a CA certificate (PEM or DER), '{path}' does not parse: {ex.Message}", ex);
        }

        if (collection.Count == 0)
        {
            throw new ArgumentException($"{CaField}: expected at least one PEM 'CERTIFICATE' block in '{path}', found none.");
        }

        return collection;
    }

    /// <summary>The client certificate of <paramref name="certPath"/> with the private key of <paramref name="keyPath"/>.</summary>
    public static X509Certificate2 LoadClientCertificate(string certPath, string keyPath)
    {
        var certText = System.Text.Encoding.ASCII.GetString(ReadAll(certPath, CertField, "a PEM client certificate"));
        var keyText = System.Text.Encoding.ASCII.GetString(ReadAll(keyPath, KeyField, "a PEM private key"));
        if (!certText.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{CertField}: expected a PEM 'CERTIFICATE' block in '{certPath}', found none.");
        }

        if (keyText.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{KeyField}: expected an unencrypted PEM private key in '{keyPath}', got an encrypted one (decrypt it with 'openssl pkey -in KEY -out KEY.plain').");
        }

        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{KeyField}: expected a PEM 'PRIVATE KEY' block in '{keyPath}', found none.");
        }

        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certText, keyText);

            // SslStream needs a key it can use for the handshake; a round trip through PKCS#12 gives a persisted-style key on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"{KeyField}: expected the private key of the certificate in {CertField} '{certPath}', '{keyPath}' does not fit or parse: {ex.Message}", ex);
        }
    }

    private static byte[] ReadAll(string path, string field, string expected)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"{field}: expected {expected}, got an empty path.");
        }

        if (!File.Exists(path))
        {
            throw new ArgumentException($"{field}: expected an existing file with {expected}, got '{path}' (not found).");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{field}: expected a readable file with {expected}, '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}
