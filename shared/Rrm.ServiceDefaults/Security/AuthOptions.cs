using System.ComponentModel.DataAnnotations;

namespace Rrm.ServiceDefaults.Security;

/// <summary>
/// Token validation settings. Local development signs HS256 tokens with <see cref="SigningKey"/>;
/// deployments give the issuer's RSA public key (<see cref="RsaPublicKeyPem"/>) and may leave the
/// symmetric key empty. At least one must be set.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    [Required]
    public string Issuer { get; set; } = "rrm-local";

    [Required]
    public string Audience { get; set; } = "rrm";

    /// <summary>HS256 key, at least 32 bytes of UTF-8.</summary>
    public string? SigningKey { get; set; }

    /// <summary>PEM of the RSA public key that verifies RS256 tokens.</summary>
    public string? RsaPublicKeyPem { get; set; }

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a token may be valid (exp − iat, or exp − now without iat): a leaked token is good for a working day
    /// at most, never for years.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(SigningKey) && string.IsNullOrEmpty(RsaPublicKeyPem))
            yield return new ValidationResult(
                "set a signing key (Auth__SigningKey, HS256, local development) or an RSA public key (Auth__RsaPublicKeyPem)",
                [nameof(SigningKey)]);
        if (!string.IsNullOrEmpty(SigningKey) && System.Text.Encoding.UTF8.GetByteCount(SigningKey) < 32)
            yield return new ValidationResult("must be at least 32 bytes long", [nameof(SigningKey)]);
        if (!string.IsNullOrEmpty(RsaPublicKeyPem) && !RsaKeys.TryImportPem(RsaPublicKeyPem, out _))
            yield return new ValidationResult("is not a PEM-encoded RSA key", [nameof(RsaPublicKeyPem)]);
    }
}
