namespace Rrm.ServiceDefaults.Security;

/// <summary>The roles of DESIGN.md §6, as carried in the token's <c>role</c> claim.</summary>
public static class Roles
{
    public const string IlcAnalyst = "ilc.analyst";
    public const string UstrOfficer = "ustr.officer";
    public const string TreasuryOfficer = "treasury.officer";
    public const string CustomsSystem = "customs.system";
    public const string NotificationAdmin = "notification.admin";
    /// <summary>Read-only access to everything.</summary>
    public const string Auditor = "auditor";

    public static readonly IReadOnlyList<string> All =
        [IlcAnalyst, UstrOfficer, TreasuryOfficer, CustomsSystem, NotificationAdmin, Auditor];
}
