using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rrm.Contracts.Events;
using Rrm.Grpc.Notification.V1;
using Rrm.Notification.Application;
using Rrm.Testing;
using static Rrm.Notification.Tests.NotificationFixture;
using Domain = Rrm.Notification.Domain;

namespace Rrm.Notification.Tests;

/// <summary>The service as deployed: neither plain-http webhooks nor inside destinations allowed; an e-mail directory.</summary>
public sealed class ProductionWebhooksFixture : NotificationFixture
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings.Remove("Notification:AllowHttpWebhooks");
            settings.Remove("Notification:AllowPrivateWebhookTargets");
            return settings;
        }
    }

    protected override IEnumerable<UpsertRecipientRequest> Directory() => [Email("USTR press office", RecipientRole.PublicAnnouncements, "press@ustr.example")];
}

/// <summary>Plain http allowed (as for a local listener) but inside destinations not: the connect-time check on its own.</summary>
public sealed class HttpOnlyWebhooksFixture : NotificationFixture
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings.Remove("Notification:AllowPrivateWebhookTargets");
            return settings;
        }
    }

    protected override IEnumerable<UpsertRecipientRequest> Directory() => [Email("USTR press office", RecipientRole.PublicAnnouncements, "press@ustr.example")];
}

internal static class Webhooks
{
    public static UpsertRecipientRequest Hook(string name, string address, RecipientRole role = RecipientRole.PublicAnnouncements) =>
        new() { Name = name, Role = role, Channel = Channel.Webhook, Address = address, WebhookSecret = "a-secret-long-enough" };

    /// <summary>
    /// A webhook recipient written straight into the directory, as one saved before these checks existed, or under a
    /// name that resolved to a public address when it was saved and resolves inside now (DNS rebinding).
    /// </summary>
    public static async Task<string> StoredAsync(NotificationFixture fixture, string name, string address)
    {
        await using var db = fixture.Service.CreateDbContext();
        var now = DateTimeOffset.UtcNow;
        var recipient = Domain.Recipient.Create(Guid.CreateVersion7(), now);
        recipient.Update(name, Domain.RecipientRole.PublicAnnouncements, Domain.Channel.Webhook, address, "en", "a-secret-long-enough", now);
        db.Recipients.Add(recipient);
        await db.SaveChangesAsync();
        return recipient.Id.ToString();
    }

    public static CaseResolved Resolved(CaseRef c) => new()
    {
        Case = c with { LiquidationSuspended = false }, ResolutionDate = new DateOnly(2024, 9, 17), LiquidationResumes = false, Summary = "",
    };
}

/// <summary>In production a webhook goes to a public https address, checked when saved and when connecting.</summary>
public sealed class ProductionWebhookTests(ProductionWebhooksFixture fixture) : IClassFixture<ProductionWebhooksFixture>
{
    public static TheoryData<string> InsideOrPlain =>
    [
        "http://hooks.example/rrm",                          // https only
        "http://127.0.0.1:55673/api/overview",               // the broker's management port, as reported
        "https://127.0.0.1:55673/api/overview",
        "https://169.254.169.254/latest/meta-data/",         // the cloud metadata service
        "https://localhost/hook",                            // a name that resolves to loopback
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://2130706433/hook",                           // 127.0.0.1 as one number
        "https://0.0.0.0/hook",
        "https://10.0.0.7/hook",
        "https://172.16.5.4/hook",
        "https://192.168.1.1/hook",
        "https://100.64.0.1/hook",                           // carrier-grade NAT
        "https://[fd00::1]/hook",
        "https://[fe80::1]/hook",
        "https://224.0.0.1/hook",
        "https://[64:ff9b::a9fe:a9fe]/hook",                 // NAT64 of 169.254.169.254
    ];

    [Theory]
    [MemberData(nameof(InsideOrPlain))]
    public async Task A_plain_http_or_inside_webhook_is_InvalidArgument_naming_the_address_and_stores_nothing(string address)
    {
        var before = await fixture.CountAsync("recipients");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Notifications().UpsertRecipientAsync(Webhooks.Hook("Inside", address), Admin).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("address:", error.Status.Detail);
        Assert.Equal(before, await fixture.CountAsync("recipients"));
    }

    [Fact]
    public async Task A_public_https_webhook_is_saved()
    {
        var saved = (await fixture.Notifications().UpsertRecipientAsync(
            Webhooks.Hook("Labor Advisory Committee hook", "https://93.184.215.14/rrm", RecipientRole.LaborAdvisoryCommittee), Admin)).Recipient;
        await fixture.Notifications().DeactivateRecipientAsync(new DeactivateRecipientRequest { RecipientId = saved.RecipientId }, Admin);

        Assert.Equal("https://93.184.215.14/rrm", saved.Address);
    }

    [Fact]
    public async Task Stored_webhooks_to_inside_addresses_or_over_plain_http_are_refused_when_sending()
    {
        var inside = await Webhooks.StoredAsync(fixture, "Loopback", fixture.Webhooks.Url("/inside").Replace("http:", "https:"));
        var metadata = await Webhooks.StoredAsync(fixture, "Metadata", "https://169.254.169.254/latest/meta-data/");
        var plain = await Webhooks.StoredAsync(fixture, "Plain", "http://hooks.example/rrm");
        var c = Case(null);

        await fixture.PublishAsync(Webhooks.Resolved(c));
        var settled = await fixture.SettledAsync(4, caseId: c.CaseId.ToString());

        Assert.Equal("webhook refused: destination not allowed", settled.Single(n => n.RecipientId == inside).LastError);
        Assert.Equal("webhook refused: destination not allowed", settled.Single(n => n.RecipientId == metadata).LastError);
        Assert.Equal("webhook refused: https required", settled.Single(n => n.RecipientId == plain).LastError);
        Assert.Equal(NotificationStatus.Sent, settled.Single(n => n.Address == "press@ustr.example").Status);
    }
}

/// <summary>The check at connect time: what a name resolves to when the service connects is what counts.</summary>
public sealed class WebhookConnectTests(HttpOnlyWebhooksFixture fixture) : IClassFixture<HttpOnlyWebhooksFixture>
{
    [Fact]
    public async Task Webhooks_that_resolve_inside_are_refused_at_connect_time_and_nothing_reaches_the_listener()
    {
        var port = new Uri(fixture.Webhooks.BaseUrl).Port;
        // Today localhost would be refused when saved; stored, it stands for a name that pointed elsewhere when it was.
        var loopback = await Webhooks.StoredAsync(fixture, "Loopback", $"http://127.0.0.1:{port}/inside");
        var byName = await Webhooks.StoredAsync(fixture, "Rebound name", $"http://localhost:{port}/rebound");
        var metadata = await Webhooks.StoredAsync(fixture, "Metadata", "http://169.254.169.254/latest/meta-data/");
        var saveRefused = await Assert.ThrowsAsync<RpcException>(() => fixture.Notifications().UpsertRecipientAsync(
            Webhooks.Hook("Rebound name", $"http://localhost:{port}/rebound"), Admin).ResponseAsync);
        var c = Case(null);

        await fixture.PublishAsync(Webhooks.Resolved(c));
        var settled = await fixture.SettledAsync(4, caseId: c.CaseId.ToString());

        Assert.Equal(StatusCode.InvalidArgument, saveRefused.StatusCode);
        Assert.Contains("address:", saveRefused.Status.Detail);
        foreach (var refused in new[] { loopback, byName, metadata })
            Assert.Equal((NotificationStatus.Dead, "webhook refused: destination not allowed"),
                (settled.Single(n => n.RecipientId == refused).Status, settled.Single(n => n.RecipientId == refused).LastError));
        Assert.Empty(fixture.Webhooks.Deliveries);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.215.14", true)]
    [InlineData("100.63.255.255", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("::ffff:10.1.2.3", false)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fec0::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("255.255.255.255", false)]
    public void Public_addresses_are_told_from_inside_ones(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookTargets.IsPublic(System.Net.IPAddress.Parse(address)));
}

/// <summary>A webhook that answers with a redirect to another address (here, the listener's /redirected-here).</summary>
public sealed class RedirectingWebhookFixture : NotificationFixture
{
    private WebApplication _redirector = null!;
    public string RedirectorUrl { get; private set; } = "";

    protected override async Task BeforeStartAsync()
    {
        await base.BeforeStartAsync();
        var port = SmtpSink.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        _redirector = builder.Build();
        _redirector.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect; // 307 keeps the POST and its body
            context.Response.Headers.Location = Webhooks.Url("/redirected-here");
            return Task.CompletedTask;
        });
        await _redirector.StartAsync();
        RedirectorUrl = $"http://127.0.0.1:{port}/hook";
    }

    protected override IEnumerable<UpsertRecipientRequest> Directory() => [Tests.Webhooks.Hook("Redirecting hook", RedirectorUrl)];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _redirector.DisposeAsync();
    }
}

public sealed class WebhookRedirectTests(RedirectingWebhookFixture fixture) : IClassFixture<RedirectingWebhookFixture>
{
    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        var c = Case(null);

        await fixture.PublishAsync(Webhooks.Resolved(c));
        var notice = Assert.Single(await fixture.SettledAsync(1, caseId: c.CaseId.ToString()));

        Assert.Equal((NotificationStatus.Dead, "webhook http 3xx"), (notice.Status, notice.LastError));
        Assert.Empty(fixture.Webhooks.To("/redirected-here"));
    }
}
