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
    /// <summary>
    /// A service's role, not a person's: the Notification service reading a petitioner's contact address
    /// (GetPetition) and nothing else (docs/security.md).
    /// </summary>
    public const string PetitionContactReader = "petition.contact-reader";

    public static readonly IReadOnlyList<string> All =
        [IlcAnalyst, UstrOfficer, TreasuryOfficer, CustomsSystem, NotificationAdmin, Auditor, PetitionContactReader];
}
