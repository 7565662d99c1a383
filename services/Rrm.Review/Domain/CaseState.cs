namespace Rrm.Review.Domain;

/// <summary>Where an enforcement case stands (DOMAIN.md §6).</summary>
public enum CaseState
{
    /// <summary>Before the case's first act; never stored.</summary>
    New,
    /// <summary>An imported history's petition, before the ILC's determination.</summary>
    PetitionReceived,
    /// <summary>The ILC found the petition insufficient (imported histories only). Terminal.</summary>
    PetitionDeclined,
    /// <summary>Opened (ILC affirmative determination or USTR's own initiative); the request to Mexico is not sent yet.</summary>
    RequestPendingDispatch,
    /// <summary>Art. 31-A.4.2 request sent; Mexico has 10 days to say whether it will review.</summary>
    ReviewRequested,
    UnderMexicanReview,
    MexicoDeclined,
    NoDenialFoundByMexico,
    /// <summary>Mexico found a denial of rights; the Parties have 10 days to agree a course of remediation.</summary>
    RemediationConsultation,
    RemediationInProgress,
    RemediationCompleted,
    PanelAvailable,
    PanelNoticeGiven,
    PanelRequested,
    PanelConstituted,
    VerificationRequested,
    VerificationScheduled,
    DeterminationPending,
    RemedyNotice,
    RemediesInForce,
    /// <summary>No ongoing denial of rights. Terminal.</summary>
    Resolved,
    /// <summary>A panel found no denial of rights. Terminal.</summary>
    ClosedNoDenial,
    /// <summary>The denial was remedied and every remedy lifted. Terminal.</summary>
    RemediesLifted,
    /// <summary>Closed for another reason (the plant closed, the matter was withdrawn). Terminal.</summary>
    ClosedOther,
}

/// <summary>What can happen to a case: one act per RPC (an RPC with an outcome field maps each outcome to its own act).</summary>
public enum CaseAct
{
    ReceivePetition,
    FindPetitionSufficient,
    FindPetitionInsufficient,
    OpenOnSufficientPetition,
    SelfInitiate,
    RequestReview,
    MexicoAccepts,
    MexicoDeclines,
    MexicoSilent,
    FindNoDenial,
    FindDenial,
    AgreeRemediation,
    RecordRemediationProgress,
    CompleteRemediation,
    EndConsultationWithoutAgreement,
    GivePanelNotice,
    Resolve,
    RequestPanel,
    ConstitutePanel,
    RequestVerification,
    VerificationConsented,
    VerificationRefused,
    HoldVerification,
    PanelFindsDenial,
    PanelFindsNoDenial,
    ImposeRemedy,
    LiftRemedies,
    Close,
    /// <summary>Mexico's 45-day review ended with no findings recorded: a panel may be requested (a lapse).</summary>
    MexicoReviewLapses,
    /// <summary>USTR directed Treasury to suspend liquidation after the request, as its own dated act (19 U.S.C. 4692(a)).</summary>
    SuspendLiquidation,
}
