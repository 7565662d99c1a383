using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Rrm.Board;

/// <summary>
/// Where the board finds the four services, and how people sign in (docs/board.md). Exactly one sign-in: OpenID
/// Connect (<see cref="Oidc"/>, deployments) or the local role picker (<see cref="DevelopmentSignIn"/>, which mints
/// tokens with <c>Auth:SigningKey</c> and so exists only where that key does: local development and tests).
/// </summary>
public sealed class BoardOptions : IValidatableObject
{
    public const string SectionName = "Board";

    [Required, Url] public string PetitionUrl { get; set; } = "";
    [Required, Url] public string ReviewUrl { get; set; } = "";
    [Required, Url] public string LiquidationUrl { get; set; } = "";
    [Required, Url] public string NotificationUrl { get; set; } = "";

    /// <summary>The deadline of each call to a service.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The local role picker at /signin. Local development and tests only.</summary>
    public bool DevelopmentSignIn { get; set; }

    /// <summary>How long a token minted by the role picker (and so the sign-in) lasts.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan DevelopmentTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    [ValidateObjectMembers] public OidcOptions Oidc { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var oidc = !string.IsNullOrWhiteSpace(Oidc.Authority);
        if (oidc == DevelopmentSignIn)
            yield return new ValidationResult(oidc
                ? "Board:Oidc:Authority and Board:DevelopmentSignIn are both set: a deployment signs in with OpenID Connect only"
                : "no sign-in is configured: set Board:Oidc:Authority (and ClientId) or, for local development, Board:DevelopmentSignIn=true",
                [nameof(DevelopmentSignIn)]);
        if (oidc && string.IsNullOrWhiteSpace(Oidc.ClientId))
            yield return new ValidationResult("Board:Oidc:ClientId is required with Board:Oidc:Authority", ["Oidc.ClientId"]);
        if (oidc && Oidc.RequireHttpsMetadata && !Oidc.Authority!.StartsWith("https://", StringComparison.Ordinal))
            yield return new ValidationResult("Board:Oidc:Authority must be https (Board:Oidc:RequireHttpsMetadata=false for local tests only)", ["Oidc.Authority"]);
    }
}

/// <summary>
/// The identity provider: the board is a confidential client using the authorization code flow with PKCE. The access
/// token it receives is what it sends to the services, so the provider must issue it for the services' audience
/// (<c>Auth:Audience</c>) with their issuer and the <c>role</c> claims of docs/security.md.
/// </summary>
public sealed class OidcOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    /// <summary>From a secret (Kubernetes: rrm-board, key oidc-client-secret).</summary>
    public string? ClientSecret { get; set; }
    /// <summary>Space-separated scopes beyond "openid profile", e.g. the API scope that makes the provider issue the services' audience.</summary>
    public string Scopes { get; set; } = "";
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// How long a sign-in lasts when the provider gives a refresh token: the access token is renewed with it until then
    /// (and while the provider agrees). Without a refresh token a sign-in lasts as long as its access token.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(8);
}
