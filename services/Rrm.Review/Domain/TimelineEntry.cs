namespace Rrm.Review.Domain;

public enum TimelineKind
{
    Act,
    DeadlineStarted,
    DeadlineApproaching,
    /// <summary>The due date passed without the awaited act: the missed-deadline alert.</summary>
    DeadlineMissed,
    DeadlineMet,
    DeadlineLate,
    DeadlineCancelled,
    LiquidationSuspended,
    LiquidationResumed,
    /// <summary>A treaty period ended without the awaited act, and the lapse took effect (the act after it is recorded too).</summary>
    DeadlineLapsed,
    /// <summary>The case was resolved while the clock ran: neither met nor late.</summary>
    DeadlineEnded,
    /// <summary>An act dated inside a lapsed period was recorded: the lapse no longer applies.</summary>
    LapseSuperseded,
}

/// <summary>One line of a case's history: an act, a clock starting or closing, an alert. Append-only.</summary>
public sealed class TimelineEntry
{
    public long Id { get; private set; }
    public Guid CaseId { get; private set; }
    /// <summary>1, 2, 3… within the case; WatchCase resumes from it.</summary>
    public int Position { get; private set; }
    public TimelineKind Kind { get; private set; }
    public CaseAct? Act { get; private set; }
    public CaseState StateAfter { get; private set; }
    public DateOnly EffectiveDate { get; private set; }
    public DateOnly? AnnouncedDate { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public string RecordedBy { get; private set; } = "";
    public string Summary { get; private set; } = "";
    public string Note { get; private set; } = "";
    public DeadlineKind? DeadlineKind { get; private set; }
    public DateOnly? DueDate { get; private set; }
    /// <summary>Petitioner identity from an imported history: shown to ILC analysts only.</summary>
    public string? Confidential { get; private set; }
    /// <summary>For acts: the public source the act was taken from (an imported history's source_url); "" when none.</summary>
    public string Source { get; private set; } = "";

    private TimelineEntry() { }

    internal TimelineEntry(Guid caseId, int position, TimelineKind kind, CaseAct? act, CaseState stateAfter, DateOnly effectiveDate,
        DateOnly? announcedDate, DateTimeOffset recordedAt, string recordedBy, string summary, string note,
        DeadlineKind? deadlineKind = null, DateOnly? dueDate = null, string? confidential = null, string source = "")
    {
        Source = source;
        CaseId = caseId;
        Position = position;
        Kind = kind;
        Act = act;
        StateAfter = stateAfter;
        EffectiveDate = effectiveDate;
        AnnouncedDate = announcedDate;
        RecordedAt = recordedAt;
        RecordedBy = recordedBy;
        Summary = summary;
        Note = note;
        DeadlineKind = deadlineKind;
        DueDate = dueDate;
        Confidential = confidential;
    }
}
