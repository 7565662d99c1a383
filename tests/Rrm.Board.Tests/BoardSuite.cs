using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Review.V1;
using Rrm.Testing;

namespace Rrm.Board.Tests;

/// <summary>
/// The four services as processes (<see cref="ServiceStack"/>), the board on a real Kestrel socket pointed at them with
/// the local role picker, and Debian's chromium (RRM_CHROMIUM, default /usr/bin/chromium; `./rrm test` installs it)
/// driven headless by Playwright. Shared by the test classes of the "board" collection.
/// </summary>
public sealed class BoardSuite : ServiceStack, IAsyncLifetime
{
    private static readonly string Chromium = Environment.GetEnvironmentVariable("RRM_CHROMIUM") ?? "/usr/bin/chromium";

    private BoardHost? _board;
    private IPlaywright? _playwright;
    private readonly SemaphoreSlim _improLock = new(1, 1);
    private Case? _impro;

    public string BoardUrl { get; private set; } = "";
    /// <summary>A second board, signing people in with OpenID Connect at <see cref="Provider"/>, as deployed.</summary>
    public string OidcBoardUrl { get; private set; } = "";
    /// <summary>The identity provider of <see cref="OidcBoardUrl"/>; the services accept the access tokens it issues.</summary>
    public JwksServer Provider { get; private set; } = null!;
    private BoardHost? _oidcBoard;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where a person finds the screenshots: .rrm/test-results/board (RRM_HOME/test-results/board).</summary>
    public static string Screenshots { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("RRM_HOME") ?? Path.Combine(Repository.Root, ".rrm"), "test-results", "board");

    /// <summary>How long past its expiry the services still accept a token (Auth:ClockSkew).</summary>
    public static readonly TimeSpan ServicesClockSkew = TimeSpan.FromSeconds(1);

    public async Task InitializeAsync()
    {
        Provider = await JwksServer.StartAsync();
        // The services take the development tokens (HS256) and the provider's (RS256), as docs/security.md allows.
        // A clock skew of 1 s: a test of an access token's expiry need not wait the default 30 s past it.
        await StartServicesAsync(new Dictionary<string, string>
        {
            ["Auth__JwksUrl"] = Provider.JwksUrl, ["Auth__RequireHttpsMetadata"] = "false", ["Auth__ClockSkew"] = ServicesClockSkew.ToString("c"),
        });
        await ImportPublicHistoryAsync();
        var services = new Dictionary<string, string>
        {
            ["Board:PetitionUrl"] = Replicas[ServiceProject.Petition.Name].Single().Url,
            ["Board:ReviewUrl"] = Replicas[ServiceProject.Review.Name].Single().Url,
            ["Board:LiquidationUrl"] = Replicas[ServiceProject.Liquidation.Name].Single().Url,
            ["Board:NotificationUrl"] = Replicas[ServiceProject.Notification.Name].Single().Url,
        };
        (_board, BoardUrl) = StartBoard(new(services) { ["Board:DevelopmentSignIn"] = "true", ["Auth:SigningKey"] = TestEnvironment.SigningKey });
        (_oidcBoard, OidcBoardUrl) = StartBoard(new(services)
        {
            ["Board:Oidc:Authority"] = Provider.Authority, ["Board:Oidc:RequireHttpsMetadata"] = "false",
            ["Board:Oidc:ClientId"] = JwksServer.ClientId, ["Board:Oidc:ClientSecret"] = JwksServer.ClientSecret,
        });
        _playwright = await Playwright.CreateAsync();
        // Playwright passes --no-sandbox itself on Linux; chromium's sandbox cannot run as root (CI's user).
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        Directory.CreateDirectory(Screenshots);
    }

    private static (BoardHost, string Url) StartBoard(Dictionary<string, string> settings)
    {
        var board = new BoardHost(settings);
        board.UseKestrel(0);
        board.StartServer();
        return (board, board.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>A fresh browser (no cookies) at the board that signs people in with OpenID Connect at <see cref="Provider"/>.</summary>
    public async Task<IBrowserContext> OidcBrowserAsync() => await Browser.NewContextAsync(new() { BaseURL = OidcBoardUrl });

    /// <summary>A fresh browser (no cookies) signed in through the role picker with <paramref name="roles"/>.</summary>
    public async Task<IPage> SignedInAsync(params string[] roles)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BoardUrl, Locale = "en-US" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("Your name").FillAsync("board-test");
        foreach (var role in roles) await page.GetByLabel(role, new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(BoardUrl.TrimEnd('/') + "/");
        return page;
    }

    /// <summary>Keeps a picture of the page for a person to look at (.rrm/test-results/board/NAME.png).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Screenshots, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0, $"no screenshot at {path}");
    }

    /// <summary>
    /// The Impro Mexico case after the demo's acts (scripts/demo.sh, steps 2-5), recorded once for the whole collection:
    /// petition June 24, 2024; sufficient July 24; request for review July 25 (announced July 26, USTR's 25th) with
    /// liquidation suspended; Mexico accepts August 4; no denial found September 6; resolved September 17.
    /// </summary>
    public async Task<Case> ImproAsync()
    {
        await _improLock.WaitAsync();
        try
        {
            return _impro ??= await WalkImproAsync();
        }
        finally { _improLock.Release(); }
    }

    private async Task<Case> WalkImproAsync()
    {
        var opened = await CaseOnPetitionAsync(Samples.Impro(), new DateOnly(2024, 6, 24), new DateOnly(2024, 7, 24));
        await Cases.SubmitRequestForReviewAsync(new()
        {
            CaseId = opened.CaseId, Act = new() { EffectiveDate = D(2024, 7, 25), AnnouncedDate = D(2024, 7, 26) },
            SuspendLiquidation = true, UstrOrdinal = 25,
        }, Officer);
        await Cases.RecordMexicoResponseAsync(new()
        {
            CaseId = opened.CaseId, Act = new() { EffectiveDate = D(2024, 8, 4), Note = "date assumed" }, Response = MexicoResponse.Accepted,
        }, Officer);
        await Cases.RecordReviewFindingsAsync(new()
        {
            CaseId = opened.CaseId, Act = new() { EffectiveDate = D(2024, 9, 6), Note = "the dismissed union delegate reinstated with back pay" },
            Finding = Finding.NoDenial,
        }, Officer);
        return (await Cases.ResolveCaseAsync(new() { CaseId = opened.CaseId, Act = new() { EffectiveDate = D(2024, 9, 17) } }, Officer)).Case;
    }

    /// <summary>
    /// The demo's first step (scripts/demo.sh: `rrm case import --public-history --until 2024-07-24 --skip impro-2024`),
    /// so that every page shows the demo's state: the public record of US invocations up to the day before Impro's
    /// request. The CLI sends the shipped CSV as it is; the Review service applies the date and the skipped case.
    /// </summary>
    private async Task ImportPublicHistoryAsync()
    {
        var reply = await Cases.ImportCaseHistoryAsync(new()
        {
            Csv = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "data", "rrm-public-history.csv")),
            Until = D(2024, 7, 24),
            SkipCaseRefs = { "impro-2024" },
        }, Officer);
        var rejected = reply.Results.Where(r => r.Outcome == CaseImportResult.Types.Outcome.Rejected).ToList();
        if (rejected.Count > 0) throw new InvalidOperationException($"public history rejected: {string.Join("; ", rejected.Select(r => $"{r.CaseRef} row {r.Row}: {r.Reason}"))}");
    }

    public static Date D(int y, int m, int d) => new() { Year = y, Month = m, Day = d };

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_board is not null) await _board.DisposeAsync();
        if (_oidcBoard is not null) await _oidcBoard.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
        await base.DisposeAsync();
    }

    public static Date D(DateOnly d) => D(d.Year, d.Month, d.Day);

    /// <summary>
    /// A new case on a petition about a new facility (its names end with <paramref name="name"/>): the petition
    /// received on <paramref name="received"/>, found sufficient on <paramref name="sufficient"/>; returns the case the
    /// Review service opened on it, with USTR's 60-day panel decision running.
    /// </summary>
    public async Task<Case> FreshCaseAsync(string name, DateOnly received, DateOnly sufficient)
    {
        var registration = Samples.Impro();
        registration.LegalName = $"Board Test Plant {name}, S.A. de C.V.";
        registration.CommonName = $"Board test plant {name}";
        return await CaseOnPetitionAsync(registration, received, sufficient);
    }

    /// <summary>Registers the facility, submits Impro's petition about it and finds it sufficient; the case opened on it.</summary>
    private async Task<Case> CaseOnPetitionAsync(Rrm.Grpc.Petition.V1.RegisterFacilityRequest registration, DateOnly received, DateOnly sufficient)
    {
        var facility = (await Facilities.RegisterFacilityAsync(registration, Analyst)).Facility;
        var request = Samples.ImproPetition(facility.FacilityId);
        request.ReceivedDate = D(received);
        var petition = (await Petitions.SubmitPetitionAsync(request, Analyst)).Petition;
        await Petitions.RecordDeterminationAsync(new()
        {
            PetitionId = petition.PetitionId, Outcome = Rrm.Grpc.Petition.V1.DeterminationOutcome.Sufficient,
            DeterminationDate = D(sufficient), Rationale = "Sufficient, credible evidence of a denial of rights.",
        }, Analyst);
        return (await Eventually.GetAsync(
            async () => (await Cases.ListCasesAsync(new ListCasesRequest { FacilityId = facility.FacilityId }, Officer)).Cases.SingleOrDefault(),
            c => c is not null, what: $"the case on the petition about {registration.CommonName}"))!;
    }
}

/// <summary>The board in this process, configured as a deployment would configure it (production environment).</summary>
public sealed class BoardHost(Dictionary<string, string> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // The build's static files (blazor.web.js, styles), which a deployment serves from its publish folder.
        builder.UseStaticWebAssets();
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}

[CollectionDefinition("board")]
public sealed class BoardCollection : ICollectionFixture<BoardSuite>;
