using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rrm.Testing;

/// <summary>A server certificate and its private key, in PEM.</summary>
public sealed record TestCertificate(string CertificatePem, string KeyPem);

/// <summary>
/// A certificate authority made for a test (trusted by nobody unless a test says so) that issues server certificates.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _root;

    /// <summary>The authority's own certificate, in PEM: what a client configured to trust it is given.</summary>
    public string CertificatePem { get; }

    public TestCertificateAuthority(string name = "RRM test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(2));
        CertificatePem = _root.ExportCertificatePem();
    }

    /// <summary>A server certificate for these names (DNS names, or IP addresses such as 127.0.0.1).</summary>
    public TestCertificate Issue(params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var alternatives = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
            if (IPAddress.TryParse(name, out var address)) alternatives.AddIpAddress(address);
            else alternatives.AddDnsName(name);
        request.CertificateExtensions.Add(alternatives.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] = (byte)(serial[0] & 0x7F | 0x01); // positive, no leading zero
        using var issued = request.Create(_root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return new TestCertificate(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => _root.Dispose();
}
