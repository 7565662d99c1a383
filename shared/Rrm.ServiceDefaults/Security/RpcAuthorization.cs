using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using static Rrm.ServiceDefaults.Security.Roles;

namespace Rrm.ServiceDefaults.Security;

/// <summary>
/// Who may call what: the role matrix of docs/security.md, one row per RPC (its gRPC method path), in one place. Each row
/// is a named authorization policy (named by the path) that the service's gRPC endpoints carry
/// (<see cref="RequireRpcRoles"/>); a test compares the table with the document row by row, and another calls every RPC
/// of the running services with each role. Every RPC needs one of the roles: a token without any is PERMISSION_DENIED
/// everywhere, including on an endpoint that no row names (the fallback policy). Only health and reflection are anonymous.
/// </summary>
public static class RpcAuthorization
{
    private static readonly string[] PetitionReaders = [IlcAnalyst, UstrOfficer, NotificationAdmin, Auditor];
    private static readonly string[] CaseReaders = [IlcAnalyst, UstrOfficer, TreasuryOfficer, NotificationAdmin, Auditor];
    private static readonly string[] EntryGate = [UstrOfficer, TreasuryOfficer, CustomsSystem, Auditor];
    private static readonly string[] LiquidationOfficers = [UstrOfficer, TreasuryOfficer, Auditor];
    private static readonly string[] NotificationReaders = [IlcAnalyst, UstrOfficer, NotificationAdmin, Auditor];

    /// <summary>The roles allowed each RPC, by its path ("package.Service/Method").</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Table = new Dictionary<string, IReadOnlyList<string>>
    {
        // The facility registry: read by everyone with a role, written by those who register facilities.
        ["rrm.petition.v1.FacilityService/RegisterFacility"] = [IlcAnalyst, UstrOfficer],
        ["rrm.petition.v1.FacilityService/GetFacility"] = All,
        ["rrm.petition.v1.FacilityService/SearchFacilities"] = All,
        ["rrm.petition.v1.FacilityService/DeriveMid"] = All,
        ["rrm.petition.v1.FacilityService/AddFacilityMid"] = [IlcAnalyst, UstrOfficer],

        ["rrm.petition.v1.PetitionService/SubmitPetition"] = [IlcAnalyst],
        // The Notification service reads a petitioner's contact with its own read-only role.
        ["rrm.petition.v1.PetitionService/GetPetition"] = [.. PetitionReaders, PetitionContactReader],
        ["rrm.petition.v1.PetitionService/ListPetitions"] = PetitionReaders,
        ["rrm.petition.v1.PetitionService/RecordDetermination"] = [IlcAnalyst],
        ["rrm.petition.v1.PetitionService/WithdrawPetition"] = [IlcAnalyst],

        ["rrm.review.v1.ReviewService/OpenCase"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/SubmitRequestForReview"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/SuspendLiquidation"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RecordMexicoResponse"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RecordReviewFindings"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/AgreeRemediationPlan"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RecordRemediationAction"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/ConfirmRemediationCompleted"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/EndConsultationWithoutAgreement"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/GivePanelNotice"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/ResolveCase"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RequestPanel"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RecordPanelConstitution"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RequestVerification"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RecordVerificationAnswer"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RecordVerification"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/RecordPanelDetermination"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/ImposeRemedy"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/LiftRemedy"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/CloseCase"] = [UstrOfficer],
        ["rrm.review.v1.ReviewService/GetCase"] = CaseReaders,
        ["rrm.review.v1.ReviewService/ListCases"] = CaseReaders,
        ["rrm.review.v1.ReviewService/WatchCase"] = CaseReaders,
        ["rrm.review.v1.ReviewService/GetStatistics"] = CaseReaders,
        ["rrm.review.v1.ReviewService/ImportCaseHistory"] = [UstrOfficer],

        ["rrm.liquidation.v1.LiquidationService/GetFacilityStatus"] = EntryGate,
        ["rrm.liquidation.v1.LiquidationService/CheckEntries"] = EntryGate,
        ["rrm.liquidation.v1.LiquidationService/RegisterEntries"] = [CustomsSystem],
        ["rrm.liquidation.v1.LiquidationService/ReportEntriesLiquidated"] = [CustomsSystem],
        ["rrm.liquidation.v1.LiquidationService/ListSuspensions"] = LiquidationOfficers,
        ["rrm.liquidation.v1.LiquidationService/ListInstructions"] = EntryGate,
        ["rrm.liquidation.v1.LiquidationService/WatchInstructions"] = EntryGate,
        ["rrm.liquidation.v1.LiquidationService/GetCaseImpact"] = LiquidationOfficers,

        ["rrm.notification.v1.NotificationService/ListNotifications"] = NotificationReaders,
        ["rrm.notification.v1.NotificationService/GetNotification"] = NotificationReaders,
        ["rrm.notification.v1.NotificationService/RetryNotification"] = [NotificationAdmin],
        ["rrm.notification.v1.NotificationService/PreviewNotification"] = [NotificationAdmin],
        ["rrm.notification.v1.NotificationService/UpsertRecipient"] = [NotificationAdmin],
        ["rrm.notification.v1.NotificationService/ListRecipients"] = NotificationReaders,
        ["rrm.notification.v1.NotificationService/DeactivateRecipient"] = [NotificationAdmin],
    };

    /// <summary>The name of the policy of an RPC: its path.</summary>
    public static string PolicyName(string rpc) => rpc;

    /// <summary>A policy per row of <see cref="Table"/>, and a fallback for any endpoint without one: any of the roles.</summary>
    public static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var (rpc, roles) in Table)
            options.AddPolicy(PolicyName(rpc), p => p.RequireAuthenticatedUser().RequireRole(roles));
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(All).Build();
    }

    /// <summary>
    /// Each method of the gRPC service requires the policy of its row of <see cref="Table"/>. A method the table does not
    /// name stops the service from starting: add its row here and in docs/security.md.
    /// </summary>
    public static TBuilder RequireRpcRoles<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            // grpc-dotnet also maps a catch-all for methods the service does not know (UNIMPLEMENTED); the fallback covers it.
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().FirstOrDefault() is not { } grpc) return;
            var rpc = grpc.Method.FullName.TrimStart('/');
            if (!Table.ContainsKey(rpc))
                throw new InvalidOperationException(
                    $"{rpc} has no row in the role matrix (RpcAuthorization.Table and docs/security.md): say which roles may call it");
            endpoint.Metadata.Add(new AuthorizeAttribute(PolicyName(rpc)));
        });
        return builder;
    }
}
