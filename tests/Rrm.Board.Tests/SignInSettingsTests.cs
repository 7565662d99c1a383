using System.Net;
using Microsoft.Extensions.Options;
using Rrm.Board.Security;
using Rrm.Testing;

namespace Rrm.Board.Tests;

/// <summary>The board's sign-in settings and forms, without the services (no call reaches them).</summary>
public sealed class SignInSettingsTests
{
    private static Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Board:PetitionUrl"] = "http://127.0.0.1:1", ["Board:ReviewUrl"] = "http://127.0.0.1:1",
            ["Board:LiquidationUrl"] = "http://127.0.0.1:1", ["Board:NotificationUrl"] = "http://127.0.0.1:1",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    [Theory]
    [InlineData(null, null, null, "no sign-in is configured")]
    [InlineData("true", "https://login.example", "board", "are both set")]
    [InlineData(null, "http://login.example", "board", "must be https")]
    [InlineData(null, "https://login.example", null, "Board:Oidc:ClientId is required")]
    public void The_board_does_not_start_with_no_sign_in_two_sign_ins_or_an_unsafe_provider(
        string? picker, string? authority, string? clientId, string expected)
    {
        var settings = Settings(("Auth:SigningKey", TestEnvironment.SigningKey));
        if (picker is not null) settings["Board:DevelopmentSignIn"] = picker;
        if (authority is not null) settings["Board:Oidc:Authority"] = authority;
        if (clientId is not null) settings["Board:Oidc:ClientId"] = clientId;
        using var host = new BoardHost(settings);
        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_sign_in_lifetime_out_of_range_stops_the_board_naming_the_key()
    {
        using var host = new BoardHost(Settings(("Board:Oidc:Authority", "https://login.example"), ("Board:Oidc:ClientId", "board"),
            ("Board:Oidc:SignInLifetime", "30.00:00:00")));
        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());
        Assert.Contains("Configuration key 'Board:Oidc:SignInLifetime'", error.Message);
    }

    [Fact]
    public void The_role_picker_needs_the_local_development_signing_key()
    {
        using var host = new BoardHost(Settings(("Board:DevelopmentSignIn", "true")));
        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());
        Assert.Contains("Auth:SigningKey", error.Message);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_forms_antiforgery_token_is_refused_and_signs_nobody_in()
    {
        using var host = new BoardHost(Settings(("Board:DevelopmentSignIn", "true"), ("Auth:SigningKey", TestEnvironment.SigningKey)));
        using var client = host.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.PostAsync(BoardSignIn.LocalSignInPath,
            new FormUrlEncodedContent([new("name", "mallory"), new("role", "ustr.officer")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("rrm-board=")));
    }

    [Theory]
    [InlineData("/cases/1", "/cases/1")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("", "/")]
    public void After_signing_in_the_board_goes_only_to_its_own_pages(string returnUrl, string expected) =>
        Assert.Equal(expected, BoardSignIn.LocalOrRoot(returnUrl));
}
