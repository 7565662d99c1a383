using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rrm.ServiceDefaults.Security;

/// <summary>The service's own token for its calls to another service could not be had (docs/security.md, "Calls between services").</summary>
public sealed class ServiceTokenUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The token a service shows on its own calls to another service (not on a caller's behalf). In production it is the
/// content of Auth:ServiceTokenFile, issued by the identity provider and rotated by the operator: the file is read again
/// whenever it changes (its modification time, size, or the file a link points to), so a new token is used from the
/// next call on, without a restart. In local development and tests, without that file, the service mints one with the HS256 key, holding only the roles
/// its calls need, valid for an hour and renewed before it ends. No service holds a key that can mint a role in
/// production: there the HS256 key is not set.
/// </summary>
public sealed class ServiceToken(IOptions<AuthOptions> auth, TimeProvider clock, ILogger<ServiceToken> logger, string subject, IReadOnlyList<string> roles)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1), RenewBefore = TimeSpan.FromMinutes(10);
    private sealed record Cached(string Token, (string Path, DateTime Modified, long Length) Stamp, DateTimeOffset Expires);
    private volatile Cached? _cached;

    /// <summary>The current token.</summary>
    /// <exception cref="ServiceTokenUnavailableException">The file is missing, unreadable or empty.</exception>
    public string Current()
    {
        if (auth.Value.ServiceTokenFile is not { Length: > 0 } file) return Minted();
        try
        {
            return FromFile(file);
        }
        catch (ServiceTokenUnavailableException e)
        {
            logger.LogWarning("{Reason}", e.Message);
            throw;
        }
    }

    /// <summary>Call metadata carrying <see cref="Current"/>.</summary>
    public Metadata Headers() => new() { { "Authorization", "Bearer " + Current() } };

    private string FromFile(string path)
    {
        try
        {
            // A Kubernetes secret volume's file is a link (token -> ..data/token, ..data -> ..<timestamp>) that never changes
            // itself: an update swaps ..data. So the file is known by its final target's path, time and size.
            var link = new FileInfo(path);
            var info = link.LinkTarget is null ? link : link.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? link;
            if (!info.Exists) throw new ServiceTokenUnavailableException($"the service token file {path} does not exist (Auth:ServiceTokenFile)");
            var stamp = (info.FullName, info.LastWriteTimeUtc, info.Length);
            if (_cached is { } cached && cached.Stamp == stamp) return cached.Token;
            var token = File.ReadAllText(info.FullName).Trim();
            if (token.Length == 0) throw new ServiceTokenUnavailableException($"the service token file {path} is empty (Auth:ServiceTokenFile)");
            _cached = new Cached(token, stamp, DateTimeOffset.MaxValue);
            logger.LogInformation("Read the service token from {File} (modified {Modified:u})", path, info.LastWriteTimeUtc);
            return token;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceTokenUnavailableException($"the service token file {path} cannot be read (Auth:ServiceTokenFile): {e.Message}", e);
        }
    }

    private string Minted()
    {
        var now = clock.GetUtcNow();
        if (_cached is { } cached && cached.Expires - now >= RenewBefore) return cached.Token;
        var token = DevTokens.Mint(auth.Value, subject, roles, Lifetime, now);
        _cached = new Cached(token, default, now + Lifetime);
        return token;
    }
}

public static class ServiceTokenExtensions
{
    /// <summary>
    /// The service's own token (<see cref="ServiceToken"/>) for calls that need <paramref name="roles"/>. The service does not
    /// start unless Auth:ServiceTokenFile or, in local development, Auth:SigningKey is set.
    /// </summary>
    public static IServiceCollection AddServiceToken(this IServiceCollection services, string subject, params string[] roles)
    {
        services.AddOptions<AuthOptions>().Validate(
            o => !string.IsNullOrEmpty(o.ServiceTokenFile) || !string.IsNullOrEmpty(o.SigningKey),
            "Configuration key 'Auth:ServiceTokenFile': this service calls another one with its own token: set the file holding it " +
            $"(a token with the role {string.Join(", ", roles)} from the identity provider; local development mints one with Auth:SigningKey)");
        services.AddSingleton(sp => new ServiceToken(sp.GetRequiredService<IOptions<AuthOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ServiceToken>>(), subject, roles));
        return services;
    }
}
