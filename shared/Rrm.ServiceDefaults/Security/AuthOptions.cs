using System.ComponentModel.DataAnnotations;

namespace Rrm.ServiceDefaults.Security;

/// <summary>
/// Token validation settings (docs/security.md, "Authentication"). Deployments verify RS256 tokens with the identity
/// provider's keys, read from its OpenID metadata (<see cref="Authority"/>) or a JWKS document (<see cref="JwksUrl"/>)
/// and read again as they rotate, or with one fixed RSA public key (<see cref="RsaPublicKeyPem"/>). Local development
/// signs HS256 tokens with <see cref="SigningKey"/>. At least one is set.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    [Required]
    public string Issuer { get; set; } = "rrm-local";

    [Required]
    public string Audience { get; set; } = "rrm";

    /// <summary>HS256 key, at least 32 bytes of UTF-8. Local development and tests only: whoever holds it can mint any role.</summary>
    public string? SigningKey { get; set; }

    /// <summary>PEM of one RSA public key that verifies RS256 tokens (no rotation without a restart).</summary>
    public string? RsaPublicKeyPem { get; set; }

    /// <summary>
    /// The identity provider's issuer URL: its signing keys are read from the <c>jwks_uri</c> of
    /// <c>{Authority}/.well-known/openid-configuration</c>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>A JWKS document (<c>{"keys": [...]}</c>) with the signing keys, for a provider without OpenID metadata.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>
    /// <see cref="Authority"/> and <see cref="JwksUrl"/> must be https unless this is false (local development and tests).
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// How often the keys are read again even when no token asks for an unknown key: the longest a key removed from the
    /// JWKS is still accepted. At least 5 minutes (the IdentityModel library's floor).
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan KeysRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A token signed with a key the service does not know (kid) makes it read the keys again at once, but not more often
    /// than this: tokens with made-up key ids cannot make it hammer the identity provider.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeysMinimumRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a token may be valid (exp − iat, or exp − now without iat): a leaked token is good for a working day
    /// at most, never for years.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A file holding the token this service shows on its calls to other services (e.g. a mounted Kubernetes secret),
    /// read again whenever it changes. Without it, a service that calls another mints its own token with
    /// <see cref="SigningKey"/> (local development only).
    /// </summary>
    public string? ServiceTokenFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(SigningKey) && string.IsNullOrEmpty(RsaPublicKeyPem) && string.IsNullOrEmpty(Authority) && string.IsNullOrEmpty(JwksUrl))
            yield return new ValidationResult(
                "set the identity provider (Auth__Authority or Auth__JwksUrl, RS256), an RSA public key (Auth__RsaPublicKeyPem) " +
                "or, for local development, a signing key (Auth__SigningKey, HS256)",
                [nameof(SigningKey)]);
        if (!string.IsNullOrEmpty(SigningKey) && System.Text.Encoding.UTF8.GetByteCount(SigningKey) < 32)
            yield return new ValidationResult("must be at least 32 bytes long", [nameof(SigningKey)]);
        if (!string.IsNullOrEmpty(RsaPublicKeyPem) && !RsaKeys.TryImportPem(RsaPublicKeyPem, out _))
            yield return new ValidationResult("is not a PEM-encoded RSA key", [nameof(RsaPublicKeyPem)]);
        if (!string.IsNullOrEmpty(Authority) && !string.IsNullOrEmpty(JwksUrl))
            yield return new ValidationResult("set Auth__Authority or Auth__JwksUrl, not both", [nameof(JwksUrl)]);
        foreach (var (name, value) in new[] { (nameof(Authority), Authority), (nameof(JwksUrl), JwksUrl) })
        {
            if (string.IsNullOrEmpty(value)) continue;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                yield return new ValidationResult("must be an absolute https URL", [name]);
            else if (uri.Scheme == "http" && RequireHttpsMetadata)
                yield return new ValidationResult(
                    "must be https: keys read over plain http could be swapped on the way (set Auth__RequireHttpsMetadata=false only for local development and tests)",
                    [name]);
        }
        if (ServiceTokenFile is { Length: > 0 } file && !File.Exists(file))
            yield return new ValidationResult($"there is no file {file}", [nameof(ServiceTokenFile)]);
    }
}
