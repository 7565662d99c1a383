using Grpc.Core;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Rrm.Board.Security;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;

namespace Rrm.Board.Calls;

/// <summary>
/// The four services' clients and the options of a call made as the signed-in user: their token, so each service
/// applies its own rules (docs/security.md) to the board as to any client. Scoped: a request, or a live page's circuit.
/// </summary>
public sealed class Suite(
    FacilityService.FacilityServiceClient facilities,
    PetitionService.PetitionServiceClient petitions,
    ReviewService.ReviewServiceClient cases,
    LiquidationService.LiquidationServiceClient liquidation,
    NotificationService.NotificationServiceClient notifications,
    AuthenticationStateProvider authentication,
    SignInTokens tokens,
    IOptions<BoardOptions> options)
{
    public FacilityService.FacilityServiceClient Facilities => facilities;
    public PetitionService.PetitionServiceClient Petitions => petitions;
    public ReviewService.ReviewServiceClient Cases => cases;
    public LiquidationService.LiquidationServiceClient Liquidation => liquidation;
    public NotificationService.NotificationServiceClient Notifications => notifications;

    /// <summary>
    /// A read as the user, with the board's call deadline: its reply, or the problem a page shows in its place
    /// (<paramref name="what"/>: that part of the page, e.g. "the notifications").
    /// </summary>
    public async Task<(T? Reply, CallProblem? Problem)> ReadAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, string what,
        CancellationToken cancellationToken = default) where T : class
    {
        try { return (await call(new(await HeadersAsync(), DateTime.UtcNow + options.Value.CallTimeout, cancellationToken)), null); }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled) { return (null, CallProblem.Of(e, what)); }
    }

    /// <summary>A stream as the user (WatchCase): no deadline, it lasts as long as the page.</summary>
    public async Task<CallOptions> StreamAsUserAsync(CancellationToken cancellationToken) =>
        new(await HeadersAsync(), cancellationToken: cancellationToken);

    /// <summary>
    /// The person's token: the one in their cookie, or for a renewed OpenID Connect sign-in its current access token
    /// (a live page keeps its circuit for hours, so it asks each time). A sign-in that has ended is the services'
    /// UNAUTHENTICATED, shown as "sign in again".
    /// </summary>
    private async Task<Metadata> HeadersAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var token = BoardUser.SignInOf(user) is { } signIn ? await tokens.AccessTokenAsync(signIn, CancellationToken.None) : BoardUser.TokenOf(user);
        if (token is null) throw new RpcException(new Status(StatusCode.Unauthenticated, "the sign-in has ended"));
        return new Metadata { { "authorization", $"Bearer {token}" } };
    }
}
