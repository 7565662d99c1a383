using System.Security.Claims;
using Google.Protobuf.WellKnownTypes;
using Rrm.Review.Application;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Security;
using Rrm.ServiceDefaults.Text;
using Petition = Rrm.Grpc.Petition.V1;
using Proto = Rrm.Grpc.Review.V1;

namespace Rrm.Review.Grpc;

/// <summary>Hand-written mapping between the domain and the protos. Enums map by name (the proto names drop their prefix).</summary>
internal static class CaseMapping
{
    public static Proto.Case ToProto(this CaseView view, ClaimsPrincipal user)
    {
        var (c, invocation, timeline) = (view.Case, view.Invocation, view.Timeline);
        var proto = new Proto.Case
        {
            CaseId = c.Id.ToString(),
            Reference = c.Reference ?? "",
            Origin = c.Origin.ByName<Proto.CaseOrigin>(),
            PetitionId = c.PetitionId?.ToString() ?? "",
            Facility = c.Facility.ToProto(),
            State = c.State.ByName<Proto.CaseState>(),
            AllowedActs = { CaseStateMachine.Allowed(c.State).Select(a => a.ByName<Proto.CaseAct>()) },
            LiquidationSuspended = c.LiquidationSuspended,
            LiquidationSuspensionUnknown = c.LiquidationSuspensionUnknown,
            Invocation = invocation is null ? null : new Proto.Invocation
            {
                Number = invocation.Number, NumberInYear = invocation.NumberInYear, Year = invocation.Year, NumberIsUstrs = invocation.NumberIsUstrs,
            },
            OpenedOn = c.OpenedOn.ToProto(),
            PetitionReceivedOn = c.PetitionReceivedOn?.ToProto(),
            IlcDeterminationOn = c.IlcDeterminationOn?.ToProto(),
            RequestDate = c.RequestDate?.ToProto(),
            ResolvedOn = c.ResolvedOn?.ToProto(),
            ClosedOn = c.ClosedOn?.ToProto(),
            ClosureReason = c.ClosureReason,
            Deadlines = { c.Deadlines.Select(ToProto) },
            PlanAgreedOn = c.PlanAgreedOn?.ToProto(),
            PlanCompletionDate = c.PlanCompletionDate?.ToProto(),
            Actions = { c.Actions.OrderBy(a => a.Number).Select(ToProto) },
            PanelRequestedOn = c.PanelRequestedOn?.ToProto(),
            PanelCaseNumber = c.PanelCaseNumber,
            Panelists = { c.Panelists },
            PanelDeterminedOn = c.PanelDeterminedOn?.ToProto(),
            Remedies = { c.Remedies.OrderBy(r => r.ImposedOn).Select(ToProto) },
            TimelineLength = c.TimelineLength,
        };
        if (c.PanelFoundDenial is { } denial) proto.PanelFoundDenial = denial;
        if (timeline is not null) proto.Timeline.AddRange(timeline.Select(e => e.ToProto(user)));
        return proto;
    }

    /// <summary>The facility as the Petition service's registry has it, as a case keeps it.</summary>
    public static CaseFacility ToCaseFacility(this Petition.Facility f) => new()
    {
        FacilityId = Guid.Parse(f.FacilityId),
        LegalName = f.LegalName,
        CommonName = f.CommonName,
        StreetAddress = f.StreetAddress,
        City = f.City,
        StateCode = f.StateCode,
        StateName = f.StateName,
        Sector = f.Sector.Words(),
        Subsector = f.SubsectorDescription.Length > 0 ? f.SubsectorDescription : f.Subsector == Petition.Subsector.Unspecified ? "" : f.Subsector.Words(),
        Owner = f.Owner,
        ApproximateWorkers = f.ApproximateWorkers,
        Mids = [.. f.Mids],
    };

    private static Proto.CaseFacility ToProto(this CaseFacility f) => new()
    {
        FacilityId = f.FacilityId?.ToString() ?? "",
        LegalName = f.LegalName,
        CommonName = f.CommonName,
        StreetAddress = f.StreetAddress,
        City = f.City,
        StateCode = f.StateCode,
        StateName = f.StateName,
        Sector = f.Sector,
        Subsector = f.Subsector,
        Owner = f.Owner,
        ApproximateWorkers = f.ApproximateWorkers,
        Mids = { f.Mids },
    };

    public static Proto.GetStatisticsResponse ToProto(this CaseStatistics s) => new()
    {
        AsOf = s.AsOf.ToProto(),
        Invocations = s.Invocations,
        RecordedInvocations = s.RecordedInvocations,
        CasesByState = { s.CasesByState.Select(x => new Proto.StateCount { State = x.State.ByName<Proto.CaseState>(), Cases = x.Cases }).OrderBy(x => x.State) },
        ResolvedCases = s.ResolvedCases,
        MedianDaysRequestToResolution = s.MedianDaysRequestToResolution,
        WorkersAtFacilitiesWithCases = s.WorkersAtFacilitiesWithCases,
        FacilitiesWithoutWorkerCount = s.FacilitiesWithoutWorkerCount,
        PanelsRequested = s.PanelsRequested,
        InvocationsByYear = { s.InvocationsByYear.Select(y => new Proto.YearCount { Year = y.Year, Invocations = y.Invocations }) },
    };

    public static Proto.TimelineEntry ToProto(this TimelineEntry e, ClaimsPrincipal user) => new()
    {
        Position = e.Position,
        Kind = e.Kind.ByName<Proto.TimelineKind>(),
        Act = e.Act?.ByName<Proto.CaseAct>() ?? Proto.CaseAct.Unspecified,
        StateAfter = e.StateAfter.ByName<Proto.CaseState>(),
        EffectiveDate = e.EffectiveDate.ToProto(),
        AnnouncedDate = e.AnnouncedDate?.ToProto(),
        RecordedAt = Timestamp.FromDateTimeOffset(e.RecordedAt),
        RecordedBy = e.RecordedBy,
        Summary = e.Summary,
        Note = e.Note,
        DeadlineKind = e.DeadlineKind?.ByName<Proto.DeadlineKind>() ?? Proto.DeadlineKind.Unspecified,
        DueDate = e.DueDate?.ToProto(),
        // Petitioner identity is confidential: ILC analysts only (DESIGN.md §6).
        Petitioner = user.IsInRole(Roles.IlcAnalyst) ? e.Confidential ?? "" : "",
        SourceUrl = e.Source,
    };

    private static Proto.Deadline ToProto(CaseDeadline d) => new()
    {
        Kind = d.Kind.ByName<Proto.DeadlineKind>(),
        Description = d.Rule.Description,
        StartedOn = d.StartedOn.ToProto(),
        DueDate = d.DueDate.ToProto(),
        Status = d.Status.ByName<Proto.DeadlineStatus>(),
        ClosedOn = d.ClosedOn?.ToProto(),
        BusinessDays = d.Rule.BusinessDays,
        WaitingPeriod = d.Rule.WaitingPeriod,
    };

    private static Proto.RemediationAction ToProto(RemediationAction a) => new()
    {
        Number = a.Number,
        Description = a.Description,
        Status = a.Status.ByName<Proto.ActionStatus>(),
        Notes =
        {
            a.Notes.Select(n => new Proto.ActionNote
            {
                Date = n.Date.ToProto(), Status = n.Status.ByName<Proto.ActionStatus>(), Text = n.Text, Evidence = n.Evidence,
            }),
        },
    };

    private static Proto.Remedy ToProto(Remedy r) => new()
    {
        RemedyId = r.Id.ToString(),
        Kind = r.Kind.ByName<Proto.RemedyKind>(),
        Description = r.Description,
        ImposedOn = r.ImposedOn.ToProto(),
        LiftedOn = r.LiftedOn?.ToProto(),
    };
}
