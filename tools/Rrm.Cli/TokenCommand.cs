using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rrm.Cli;

/// <summary>
/// `rrm token`: a local-development token, HS256 with the key the local services use (./rrm sets it). Real
/// deployments take tokens from the identity provider (RS256); the services refuse HS256 there.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var roles = new Argument<string[]>("roles") { Description = "ilc.analyst, ustr.officer, treasury.officer, customs.system, notification.admin, auditor or petition.contact-reader", Arity = ArgumentArity.OneOrMore };
        var subject = new Option<string>("--sub") { Description = "Who the token names", DefaultValueFactory = _ => Environment.UserName };
        var hours = new Option<int>("--hours") { Description = "How long it is valid", DefaultValueFactory = _ => 8 };
        var key = new Option<string?>("--signing-key") { Description = "The HS256 key (default: $RRM_DEV_SIGNING_KEY)" };
        var issuer = new Option<string>("--issuer") { Description = "Auth:Issuer of the services", DefaultValueFactory = _ => "rrm-local" };
        var audience = new Option<string>("--audience") { Description = "Auth:Audience of the services", DefaultValueFactory = _ => "rrm" };
        return Verb.Custom("token", "Mint a local-development token (HS256)", cli =>
        {
            var p = cli.Parse;
            var secret = p.GetValue(key) ?? Environment.GetEnvironmentVariable("RRM_DEV_SIGNING_KEY");
            if (string.IsNullOrEmpty(secret)) throw new ArgumentException("no signing key: pass --signing-key or set $RRM_DEV_SIGNING_KEY (./rrm token does)");
            // The services refuse tokens valid for longer than Auth:MaxTokenLifetime (24 hours by default).
            if (p.GetValue(hours) is < 1 or > 24) throw new ArgumentException("--hours must be 1 to 24");
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Console.WriteLine(Mint(secret, new Dictionary<string, object>
            {
                ["sub"] = p.GetValue(subject)!, ["role"] = p.GetValue(roles)!.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray(),
                ["iss"] = p.GetValue(issuer)!, ["aud"] = p.GetValue(audience)!, ["iat"] = now, ["nbf"] = now, ["exp"] = now + p.GetValue(hours) * 3600L,
            }));
            return Task.CompletedTask;
        }, roles, subject, hours, key, issuer, audience);
    }

    private static string Mint(string secret, Dictionary<string, object> claims)
    {
        var unsigned = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT", kid = "hs256-dev" })) + "."
            + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return unsigned + "." + Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(unsigned)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
