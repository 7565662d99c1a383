namespace Rrm.Review.Domain;

public enum CaseOrigin { Petition, SelfInitiated }

public enum MexicoResponse { Accepted, Declined, NoResponse }

public enum RemedyKind { PreferenceSuspension, Penalty, EntryDenial }

public enum ActionStatus { Planned, InProgress, Completed }

/// <summary>
/// When and by whom an act is recorded. <see cref="Date"/> is the act's effective (legal) date;
/// <see cref="AnnouncedDate"/> the date of the public announcement when it differs.
/// </summary>
public sealed record ActContext(DateOnly Date, DateOnly? AnnouncedDate, string Note, string RecordedBy, DateTimeOffset RecordedAt,
    BusinessCalendar Calendar, bool Replayed = false, string Source = "")
{
    public const int MaxSourceLength = 2000;

    /// <summary>The request field an act's date comes from, for error messages.</summary>
    public const string DateField = "act.effective_date";
}

/// <summary>The covered facility as the case saw it when opened (from the registry or an imported history).</summary>
public sealed class CaseFacility
{
    /// <summary>The registry's id; null for a facility known only from an imported history.</summary>
    public Guid? FacilityId { get; init; }
    public string LegalName { get; init; } = "";
    public string CommonName { get; init; } = "";
    public string StreetAddress { get; init; } = "";
    public string City { get; init; } = "";
    public string StateCode { get; init; } = "";
    public string StateName { get; init; } = "";
    public string Sector { get; init; } = "";
    public string Subsector { get; init; } = "";
    public string Owner { get; init; } = "";
    public int ApproximateWorkers { get; init; }
    public List<string> Mids { get; init; } = [];
}

/// <summary>One action of a course of remediation, with its progress notes.</summary>
public sealed class RemediationAction
{
    public int Number { get; private set; }
    public string Description { get; private set; } = "";
    public ActionStatus Status { get; internal set; }
    public List<ActionNote> Notes { get; private set; } = [];

    private RemediationAction() { }

    internal RemediationAction(int number, string description) => (Number, Description, Status) = (number, description, ActionStatus.Planned);
}

/// <summary>A dated note on an action's progress, with where its evidence is kept (optional).</summary>
public sealed record ActionNote(DateOnly Date, ActionStatus Status, string Text, string Evidence);

/// <summary>A remedy after a panel's determination of a denial of rights (19 U.S.C. 4693).</summary>
public sealed class Remedy
{
    public Guid Id { get; private set; }
    public RemedyKind Kind { get; private set; }
    public string Description { get; private set; } = "";
    public DateOnly ImposedOn { get; private set; }
    public DateOnly? LiftedOn { get; internal set; }

    private Remedy() { }

    internal Remedy(Guid id, RemedyKind kind, string description, DateOnly imposedOn) =>
        (Id, Kind, Description, ImposedOn) = (id, kind, description, imposedOn);

    public static string Describe(RemedyKind kind) => kind switch
    {
        RemedyKind.PreferenceSuspension => "suspension of USMCA preferential tariff treatment",
        RemedyKind.Penalty => "penalties on goods from the facility",
        RemedyKind.EntryDenial => "denial of entry of goods from the facility",
        _ => kind.ToString(),
    };
}
