using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Rrm.Contracts.Events;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.TariffLiquidation.Data;
using Rrm.Testing;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>The Tariff-Liquidation service over its own database and virtual host; tests publish the Review service's events to it.</summary>
public class LiquidationFixture() : ServiceFixture<LiquidationDbContext>(LiquidationDbContext.SchemaName)
{
    public static readonly Metadata Customs = Tokens.For(Roles.CustomsSystem);
    public static readonly Metadata Treasury = Tokens.For(Roles.TreasuryOfficer);

    public LiquidationService.LiquidationServiceClient Client() => new(Service.CreateChannel());

    /// <summary>Publishes an event on the broker as the Review service would (the same message id twice is a redelivery).</summary>
    public Task PublishAsync(object @event, Guid? messageId = null, IServiceProvider? via = null) =>
        (via ?? Service.Services).GetRequiredService<IBus>().Publish(@event, @event.GetType(), c => c.MessageId = messageId ?? NewId.NextGuid());

    public Task<long> LastSequenceAsync() => Database.ScalarAsync<long>("SELECT last_sequence FROM liquidation.instruction_counter");

    public Task<long> WaitForInstructionsAsync(long count) =>
        Eventually.GetAsync(LastSequenceAsync, n => n >= count, what: $"{count} instructions");

    /// <summary>A case about a facility with fresh MIDs, as the Review service's events carry it.</summary>
    public static CaseRef Case(string mid = "", bool suspended = true, bool replayed = false) => new()
    {
        CaseId = Guid.NewGuid(),
        Origin = "petition",
        InvocationNumber = 25,
        LiquidationSuspended = suspended,
        Replayed = replayed,
        Facility = new FacilitySnapshot
        {
            FacilityId = Guid.NewGuid(),
            LegalName = "Impro Industries Mexico, S. de R.L. de C.V.",
            CommonName = "Impro Mexico facility",
            StreetAddress = "Carretera 57 km 1250",
            City = "Villa de Reyes",
            StateCode = "SLP",
            StateName = "San Luis Potosí",
            Sector = "manufacturing",
            Subsector = "component parts",
            Owner = "Impro Industries",
            ApproximateWorkers = 1500,
            Mids = mid.Length > 0 ? [mid] : [NewMid(), NewMid()],
        },
    };

    public static string NewMid() => "MXIMP" + Random.Shared.Next(1_000_000, 9_999_999) + "VIL";

    public static ReviewRequested Requested(CaseRef c, DateOnly date, bool suspend = true) => new()
    {
        Case = c, RequestDate = date, SuspendLiquidation = suspend, AnswerDueDate = date.AddDays(10), ReviewDueDate = date.AddDays(45),
    };

    public static CaseResolved Resolved(CaseRef c, DateOnly date) => new()
    {
        Case = c with { LiquidationSuspended = false }, ResolutionDate = date, LiquidationResumes = true, Summary = "",
    };

    public static Date D(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    /// <summary>A filer code of its own, so a test's entry numbers never meet another test's.</summary>
    public static string NewFiler() => new(Enumerable.Range(0, 3).Select(_ => (char)('A' + Random.Shared.Next(26))).ToArray());

    /// <summary>Entry number <paramref name="n"/> under <paramref name="filer"/>, with its check digit.</summary>
    public static string Number(string filer, int n) => Domain.EntryNumber.Create(filer, n);

    /// <summary>A valid entry under <paramref name="mid"/>, numbered <paramref name="n"/> under <paramref name="filer"/>.</summary>
    public static CustomsEntry Entry(string mid, string filer, int n, Date? date = null) => new()
    {
        EntryNumber = Number(filer, n),
        Importer = "IMP-0001",
        Mid = mid,
        CountryOfOrigin = "MX",
        EntryDate = date ?? D(2024, 8, 15),
        EnteredValue = new Rrm.Grpc.Common.V1.Decimal { Value = "1000.50" },
        EstimatedDuties = new Rrm.Grpc.Common.V1.Decimal { Value = "25.00" },
        TariffNumber = "8708.99.8180",
        UsmcaClaimed = true,
    };

    public async Task<RegisterEntriesResponse> RegisterAsync(IEnumerable<CustomsEntry> entries, int batch = 1000)
    {
        using var call = Client().RegisterEntries(Customs);
        foreach (var chunk in entries.Chunk(batch)) await call.RequestStream.WriteAsync(new RegisterEntriesRequest { Entries = { chunk } });
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }
}
