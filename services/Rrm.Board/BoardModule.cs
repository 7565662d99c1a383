using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rrm.Board.Calls;
using Rrm.Board.Components;
using Rrm.Board.Security;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Telemetry;

namespace Rrm.Board;

/// <summary>The board's wiring: pages, sign-in, the four services' clients, health.</summary>
public static class BoardModule
{
    public const string ServiceName = "board";

    /// <summary>
    /// Every page's policy: scripts, styles and connections (the live page's WebSocket) from the board only, no inline
    /// script (so no import map), images from the board or data: (the empty favicon), forms posted to the board only.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddBoard(this WebApplicationBuilder builder)
    {
        builder.AddRrmTelemetry(ServiceName);
        builder.Services.AddValidatedOptions<BoardOptions>(BoardOptions.SectionName);
        var board = builder.Configuration.GetSection(BoardOptions.SectionName).Get<BoardOptions>() ?? new BoardOptions();
        builder.AddBoardSignIn(board);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<Suite>();
        builder.Services.AddServiceClient<FacilityService.FacilityServiceClient>(sp => Options(sp).PetitionUrl);
        builder.Services.AddServiceClient<PetitionService.PetitionServiceClient>(sp => Options(sp).PetitionUrl);
        builder.Services.AddServiceClient<ReviewService.ReviewServiceClient>(sp => Options(sp).ReviewUrl);
        builder.Services.AddServiceClient<LiquidationService.LiquidationServiceClient>(sp => Options(sp).LiquidationUrl);
        builder.Services.AddServiceClient<NotificationService.NotificationServiceClient>(sp => Options(sp).NotificationUrl);
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapBoard(this WebApplication app)
    {
        var board = app.Services.GetRequiredService<IOptions<BoardOptions>>().Value;
        var developmentKey = BoardSignIn.DevelopmentKey(app.Configuration, board);
        app.Use((context, next) =>
        {
            // No framing (clickjacking), no content-type guessing, no full addresses (case ids) in Referer elsewhere,
            // and nothing run, styled, fetched or posted but from the board itself (an injected script does not run).
            // Set as the response starts, so the error page (whose handler clears the headers first) has them too.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        // Probes (Kubernetes): the board holds no state and needs nothing to serve its pages; a service that is down
        // shows as a message on the page that needs it, not as an unready board.
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapStaticAssets().AllowAnonymous();
        app.MapBoardSignIn(board, developmentKey);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static BoardOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<BoardOptions>>().Value;
}
