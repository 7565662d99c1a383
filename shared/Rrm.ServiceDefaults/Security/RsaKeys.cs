using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Rrm.ServiceDefaults.Security;

internal static class RsaKeys
{
    public static bool TryImportPem(string pem, [NotNullWhen(true)] out RSA? rsa)
    {
        rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            rsa = null;
            return false;
        }
    }
}
