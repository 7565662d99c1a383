using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.ServiceDefaults.Tests;

/// <summary>
/// The token a service shows on its own calls (docs/security.md, "Calls between services"): the mounted file, read again
/// when the operator replaces it, also the way Kubernetes replaces a secret's file; or, in development, a token minted
/// with only the roles the calls need.
/// </summary>
public sealed partial class ServiceTokenTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("rrm-service-token-");

    private static ServiceToken Make(AuthOptions options, TimeProvider? clock = null) =>
        new(Options.Create(options), clock ?? TimeProvider.System, NullLogger<ServiceToken>.Instance, "notification-service", [Roles.PetitionContactReader]);

    [Fact]
    public void The_file_is_read_again_when_the_operator_replaces_it()
    {
        var file = Path.Combine(_dir.FullName, "token");
        File.WriteAllText(file, "first-token\n");
        var token = Make(new AuthOptions { ServiceTokenFile = file, SigningKey = TestEnvironment.SigningKey });

        Assert.Equal("first-token", token.Current());
        Assert.Equal("first-token", token.Current());
        File.WriteAllText(file, "second-token-of-another-length");
        Assert.Equal("second-token-of-another-length", token.Current());
        // The same length, a later modification time.
        File.WriteAllText(file, "third-token-of-another-length!");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal("third-token-of-another-length!", token.Current());
        Assert.Equal("Bearer third-token-of-another-length!", token.Headers().Get("authorization")!.Value);
    }

    [Fact]
    public void A_Kubernetes_secret_volume_update_is_seen()
    {
        // The kubelet's layout: token -> ..data/token, ..data -> ..<timestamp>; an update writes a new timestamped
        // directory and swaps the ..data link.
        string Version(string name, string content)
        {
            var dir = Directory.CreateDirectory(Path.Combine(_dir.FullName, name));
            File.WriteAllText(Path.Combine(dir.FullName, "token"), content);
            return dir.Name;
        }
        void Point(string target)
        {
            var swap = Path.Combine(_dir.FullName, "..data_tmp");
            File.CreateSymbolicLink(swap, target);
            // rename(2), as the kubelet does: atomic, and it moves the link itself (File.Move would follow it).
            if (rename(swap, Path.Combine(_dir.FullName, "..data")) != 0) throw new IOException($"rename failed: errno {Marshal.GetLastPInvokeError()}");
        }
        Point(Version("..2025_01_01_00_00_00.1", "token-one"));
        var file = Path.Combine(_dir.FullName, "token");
        File.CreateSymbolicLink(file, Path.Combine("..data", "token"));
        var token = Make(new AuthOptions { ServiceTokenFile = file });
        Assert.Equal("token-one", token.Current());

        Thread.Sleep(20); // a later modification time for the new version, as with a real update minutes later
        Point(Version("..2025_01_01_00_05_00.2", "token-two"));

        Assert.Equal("token-two", token.Current());
    }

    [Fact]
    public void A_missing_or_empty_file_says_so_rather_than_sending_no_token()
    {
        var file = Path.Combine(_dir.FullName, "token");
        File.WriteAllText(file, "a-token");
        var token = Make(new AuthOptions { ServiceTokenFile = file });
        Assert.Equal("a-token", token.Current());

        File.WriteAllText(file, "  \n");
        Assert.Contains("is empty", Assert.Throws<ServiceTokenUnavailableException>(token.Current).Message);
        File.Delete(file);
        Assert.Contains("does not exist", Assert.Throws<ServiceTokenUnavailableException>(token.Current).Message);
        File.WriteAllText(file, "a-new-token");
        Assert.Equal("a-new-token", token.Current());
    }

    [Fact]
    public void Without_a_file_development_mints_a_token_with_only_the_roles_the_calls_need_and_renews_it()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var token = Make(new AuthOptions { SigningKey = TestEnvironment.SigningKey }, clock);

        var first = token.Current();
        var claims = new JsonWebToken(first);
        Assert.Equal("notification-service", claims.Subject);
        Assert.Equal([Roles.PetitionContactReader], claims.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(TimeSpan.FromHours(1), claims.ValidTo - claims.IssuedAt);

        clock.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(first, token.Current());
        clock.Advance(TimeSpan.FromMinutes(6)); // less than ten minutes left: a new one
        Assert.NotEqual(first, token.Current());
        Assert.True(new JsonWebToken(token.Current()).ValidTo > claims.ValidTo);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int rename(string oldPath, string newPath);

    public void Dispose() => _dir.Delete(recursive: true);
}
