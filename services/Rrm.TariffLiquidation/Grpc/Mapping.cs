using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rrm.ServiceDefaults.Grpc;
using Rrm.TariffLiquidation.Domain;
using Proto = Rrm.Grpc.Liquidation.V1;

namespace Rrm.TariffLiquidation.Grpc;

/// <summary>Hand-written mapping from the domain to the protos (enums by name; the proto names drop their prefix).</summary>
internal static class Mapping
{
    private static readonly JsonFormatter CanonicalJson = new(JsonFormatter.Settings.Default);

    /// <summary>The instruction as the customs feed carries it: the proto's canonical JSON (docs/customs-feed.md, "A message").</summary>
    public static string ToFeedJson(this InstructionRecord i) => CanonicalJson.Format(i.ToProto());

    public static Proto.CustomsInstruction ToProto(this InstructionRecord i) => new()
    {
        InstructionId = i.Id.ToString(),
        Sequence = i.Sequence,
        Kind = i.Kind.ByName<Proto.InstructionKind>(),
        CaseId = IdText(i.CaseId),
        InvocationNumber = i.InvocationNumber ?? 0,
        FacilityId = i.FacilityId?.ToString() ?? "",
        FacilityName = i.FacilityName,
        Mids = { i.Mids },
        EffectiveDate = i.EffectiveDate.ToProto(),
        Directive = i.Directive,
        LiquidateBy = i.LiquidateBy?.ToProto(),
        OrderId = IdText(i.OrderId),
        RemedyId = i.RemedyId?.ToString() ?? "",
        RemedyDescription = i.RemedyDescription,
        IssuedAt = Timestamp.FromDateTimeOffset(i.IssuedAt),
        Replayed = i.Replayed,
        OrderKind = i.OrderKind?.ByName<Proto.OrderKind>() ?? Proto.OrderKind.Unspecified,
        RemedyKind = i.RemedyKind?.ByName<Proto.OrderKind>() ?? Proto.OrderKind.Unspecified,
        SuspendedFrom = i.SuspendedFrom?.ToProto(),
        EnteredThrough = i.EnteredThrough?.ToProto(),
        AddedMids = { (i.AddedMids ?? []).OrderBy(a => a.Value).ThenBy(a => a.Key).Select(a => new Proto.AddedMid { Mid = a.Key, EffectiveFrom = a.Value.ToProto() }) },
        RestoredThroughSequence = i.RestoredThroughSequence ?? 0,
    };

    /// <summary>The gate's answer for <paramref name="entry"/>; <paramref name="orders"/> maps each order once per response.</summary>
    public static Proto.EntryCheck ToProto(this EntryVerdict v, CustomsEntry entry, OrderProtos orders)
    {
        var check = new Proto.EntryCheck
        {
            EntryNumber = entry.EntryNumber,
            Mid = entry.Mid,
            LiquidatedOn = entry.LiquidatedOn?.ToProto(),
            Status = v.Status.ByName<Proto.EntryStatus>(),
            OrderId = v.Suspension?.Id.ToString() ?? "",
            CaseId = v.Suspension?.CaseId.ToString() ?? "",
            HeldSince = v.HeldSince?.ToProto(),
            LiquidateBy = v.LiquidateBy?.ToProto(),
            Reason = v.Reason,
        };
        foreach (var o in v.Remedies) check.Remedies.Add(orders.Of(o));
        foreach (var o in v.ApplyRemedies) check.ApplyRemedies.Add(orders.Of(o));
        return check;
    }

    /// <summary>A ledger restore's mark names no case or order: empty, as proto3 leaves an absent id, not a nil UUID.</summary>
    private static string IdText(Guid id) => id == Guid.Empty ? "" : id.ToString();

    public static Proto.Order ToProto(this LiquidationOrder o) => new()
    {
        OrderId = o.Id.ToString(),
        Kind = o.Kind.ByName<Proto.OrderKind>(),
        CaseId = o.CaseId.ToString(),
        FacilityId = o.FacilityId?.ToString() ?? "",
        FacilityName = o.FacilityName,
        Mids = { o.Mids },
        EffectiveFrom = o.EffectiveFrom.ToProto(),
        LiftedOn = o.LiftedOn?.ToProto(),
        Directive = o.Directive,
        RemedyId = o.RemedyId?.ToString() ?? "",
        Description = o.Description,
        EndedByRemedyId = o.EndedByRemedyId?.ToString() ?? "",
        AddedMids = { o.AddedMids.OrderBy(a => a.Value).ThenBy(a => a.Key).Select(a => new Proto.AddedMid { Mid = a.Key, EffectiveFrom = a.Value.ToProto() }) },
    };
}

/// <summary>Each order's proto, mapped once per response: the entries under one MID name the same remedies.</summary>
internal sealed class OrderProtos
{
    private Dictionary<LiquidationOrder, Proto.Order>? _mapped;

    public Proto.Order Of(LiquidationOrder order)
    {
        _mapped ??= [];
        if (!_mapped.TryGetValue(order, out var proto)) _mapped[order] = proto = order.ToProto();
        return proto;
    }
}
