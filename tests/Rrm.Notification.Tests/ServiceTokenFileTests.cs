using Rrm.Grpc.Notification.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Notification.Tests;

/// <summary>
/// The Notification service as deployed: its token for reading petitioners' contacts is a file the operator replaces
/// (Auth:ServiceTokenFile, a mounted secret), not minted from a key. Here the file is written with tokens of the test's
/// issuer; the Petition service beside it verifies them.
/// </summary>
public sealed class ServiceTokenFileFixture : NotificationFixture
{
    public string TokenFile { get; } = Path.Combine(Path.GetTempPath(), $"rrm-service-token-{Guid.NewGuid():N}");

    /// <summary>Replaces the file's content, as an operator (or the kubelet updating a secret) does.</summary>
    public void Write(string token) => File.WriteAllText(TokenFile, token + "\n");

    protected override Task BeforeStartAsync()
    {
        Write(Tokens.Mint([Roles.PetitionContactReader], TimeSpan.FromHours(1), subject: "notification-service"));
        return base.BeforeStartAsync();
    }

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Auth:ServiceTokenFile"] = TokenFile;
            return settings;
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(TokenFile);
    }
}

public sealed class ServiceTokenFileTests(ServiceTokenFileFixture fixture) : IClassFixture<ServiceTokenFileFixture>
{
    /// <summary>Submits a petition and waits for its acknowledgement to the petitioner to be sent or given up.</summary>
    private async Task<Rrm.Grpc.Notification.V1.Notification> AcknowledgementAsync(string email)
    {
        var petition = await fixture.SubmitPetitionAsync(email);
        return (await fixture.SettledAsync(1, petitionId: petition.PetitionId)).Single(n => n.Role == RecipientRole.Petitioner);
    }

    [Fact]
    public async Task A_replaced_token_file_is_used_from_the_next_call_without_a_restart()
    {
        var sent = await AcknowledgementAsync("first@lsom.example");
        Assert.Equal(NotificationStatus.Sent, sent.Status);
        Assert.Single(fixture.MailTo("first@lsom.example"));

        // The operator puts in a token the Petition service refuses (signed with a key it does not trust): the very
        // next reading of a petitioner's address uses it, and fails.
        fixture.Write(Tokens.Mint([Roles.PetitionContactReader], signingKey: "a-key-the-petition-service-does-not-know-0123456789"));
        var refused = await AcknowledgementAsync("second@lsom.example");
        Assert.Equal((NotificationStatus.Dead, "petition service Unauthenticated"), (refused.Status, refused.LastError));
        Assert.Empty(fixture.MailTo("second@lsom.example"));

        // A token of the right issuer but without the role: refused for its roles.
        fixture.Write(Tokens.Mint([Roles.CustomsSystem], subject: "notification-service"));
        var forbidden = await AcknowledgementAsync("third@lsom.example");
        Assert.Equal((NotificationStatus.Dead, "petition service PermissionDenied"), (forbidden.Status, forbidden.LastError));

        // A good token again: mail flows.
        fixture.Write(Tokens.Mint([Roles.PetitionContactReader], TimeSpan.FromHours(1), subject: "notification-service"));
        Assert.Equal(NotificationStatus.Sent, (await AcknowledgementAsync("fourth@lsom.example")).Status);
        Assert.Single(fixture.MailTo("fourth@lsom.example"));
    }

    [Fact]
    public async Task A_missing_token_file_fails_the_delivery_and_says_why()
    {
        var good = await File.ReadAllTextAsync(fixture.TokenFile);
        File.Delete(fixture.TokenFile);
        try
        {
            var failed = await AcknowledgementAsync("missing-file@lsom.example");
            Assert.Equal((NotificationStatus.Dead, "petition service token unavailable"), (failed.Status, failed.LastError));
            Assert.Contains(fixture.Logs.Lines, l => l.Contains(fixture.TokenFile) && l.Contains("does not exist"));
        }
        finally
        {
            await File.WriteAllTextAsync(fixture.TokenFile, good);
        }
        Assert.Equal(NotificationStatus.Sent, (await AcknowledgementAsync("file-back@lsom.example")).Status);
    }
}
