using System.Text;
using System.Text.Json;
using Grpc.Core;
using RabbitMQ.Client;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Reference;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>
/// AddFacilityMid over the real database and broker: what GetFacility shows, what the outbox holds and what a
/// subscriber of FacilityMidAdded (the Tariff-Liquidation service) receives on RabbitMQ.
/// </summary>
public sealed class FacilityMidTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>, IAsyncLifetime
{
    private static readonly Metadata Officer = Tokens.For(Roles.UstrOfficer);
    // MassTransit publishes each event type to a fanout exchange named after it.
    private const string Exchange = "Rrm.Contracts.Events:FacilityMidAdded";

    private IConnection _connection = null!;
    private IChannel _channel = null!;
    private readonly string _queue = "mid-subscriber-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<JsonElement> _received = [];

    public async Task InitializeAsync()
    {
        _connection = await new ConnectionFactory { Uri = new Uri(fixture.VirtualHost.AmqpUri) }.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync();
        await _channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true);
        await _channel.QueueDeclareAsync(_queue, durable: false, exclusive: false, autoDelete: true);
        await _channel.QueueBindAsync(_queue, Exchange, "");
    }

    public async Task DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static string NewMid() => $"MXVAR{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static Date Date(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    private Task<AddFacilityMidResponse> AddAsync(string facilityId, string mid, Date? date = null, Metadata? token = null) =>
        fixture.Facilities().AddFacilityMidAsync(new AddFacilityMidRequest { FacilityId = facilityId, Mid = mid, EffectiveDate = date }, token ?? Officer).ResponseAsync;

    private async Task<Facility> GetAsync(string facilityId) =>
        (await fixture.Facilities().GetFacilityAsync(new GetFacilityRequest { FacilityId = facilityId }, Officer)).Facility;

    private Task<long> OutboxCountAsync(string facilityId, string extra = "") => fixture.Database.ScalarAsync<long>(
        $"SELECT count(*) FROM petition.outbox_messages WHERE type = 'FacilityMidAdded' AND payload->>'facilityId' = '{facilityId}' {extra}");

    /// <summary>The FacilityMidAdded messages about the facility that reached the subscriber's queue.</summary>
    private async Task<List<JsonElement>> ReceivedAsync(string facilityId)
    {
        while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } delivery)
            _received.Add(JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement.GetProperty("message").Clone());
        return _received.Where(m => m.GetProperty("facilityId").GetString() == facilityId).ToList();
    }

    /// <summary>Waits until the relay has published every outbox row of the facility, then a while for the broker to deliver.</summary>
    private async Task<List<JsonElement>> SettledAsync(string facilityId, int expected)
    {
        await Eventually.GetAsync(() => OutboxCountAsync(facilityId, "AND processed_at IS NULL"), n => n == 0, what: "the outbox to be published");
        var received = await Eventually.GetAsync(() => ReceivedAsync(facilityId), r => r.Count >= expected, what: $"{expected} FacilityMidAdded on the bus");
        return await Eventually.StaysAsync(() => ReceivedAsync(facilityId), r => r.Count == received.Count, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_added_MID_shows_in_GetFacility_and_is_published_once_with_all_the_MIDs_and_its_date()
    {
        var facility = await fixture.RegisterAsync();
        var mid = NewMid();

        var response = await AddAsync(facility.FacilityId, " " + mid.ToLowerInvariant() + " ", Date(2024, 8, 1));

        Assert.True(response.Added);
        Assert.Equal([.. facility.Mids, mid], response.Facility.Mids);
        Assert.Equal([.. facility.Mids, mid], (await GetAsync(facility.FacilityId)).Mids);
        var found = (await fixture.Facilities().SearchFacilitiesAsync(new SearchFacilitiesRequest { Mid = mid }, Officer)).Facilities;
        Assert.Equal([facility.FacilityId], found.Select(f => f.FacilityId));
        var published = Assert.Single(await SettledAsync(facility.FacilityId, 1));
        Assert.Equal(mid, published.GetProperty("mid").GetString());
        Assert.Equal([.. facility.Mids, mid], published.GetProperty("mids").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal("2024-08-01", published.GetProperty("effectiveDate").GetString());
    }

    [Fact]
    public async Task Without_a_date_the_MID_is_effective_today_in_Washington()
    {
        var facility = await fixture.RegisterAsync();

        await AddAsync(facility.FacilityId, NewMid());

        var published = Assert.Single(await SettledAsync(facility.FacilityId, 1));
        Assert.Equal(LegalCalendar.Today(TimeProvider.System).ToString("yyyy-MM-dd"), published.GetProperty("effectiveDate").GetString());
    }

    [Fact]
    public async Task A_retried_request_is_answered_OK_and_neither_stores_nor_publishes_again()
    {
        var facility = await fixture.RegisterAsync();
        var mid = NewMid();
        await AddAsync(facility.FacilityId, mid, Date(2024, 8, 1));

        var retry = await AddAsync(facility.FacilityId, mid, Date(2024, 8, 1));
        var again = await AddAsync(facility.FacilityId, mid.ToLowerInvariant());
        var alreadyDerived = await AddAsync(facility.FacilityId, facility.Mids[0]);

        Assert.False(retry.Added);
        Assert.False(again.Added);
        Assert.False(alreadyDerived.Added);
        Assert.Equal([.. facility.Mids, mid], (await GetAsync(facility.FacilityId)).Mids);
        Assert.Equal(1, await OutboxCountAsync(facility.FacilityId));
        Assert.Single(await SettledAsync(facility.FacilityId, 1));
    }

    [Fact]
    public async Task Concurrent_additions_of_the_same_MID_store_and_publish_it_once()
    {
        var facility = await fixture.RegisterAsync();
        var mid = NewMid();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try { return (await AddAsync(facility.FacilityId, mid)).Added ? "added" : "no-op"; }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted) { return "aborted"; }
        }));

        Assert.Single(outcomes, o => o == "added");
        Assert.Equal([.. facility.Mids, mid], (await GetAsync(facility.FacilityId)).Mids);
        Assert.Single(await SettledAsync(facility.FacilityId, 1));
    }

    public static TheoryData<string, Action<AddFacilityMidRequest>> BadRequests => new()
    {
        { "facility_id", r => r.FacilityId = "" },
        { "facility_id", r => r.FacilityId = "facility-7" },
        { "mid", r => r.Mid = "" },
        { "mid", r => r.Mid = "   " },
        { "mid", r => r.Mid = "not an mid" },
        { "mid", r => r.Mid = "M" },
        { "mid", r => r.Mid = "MXABCDEFGHIJKLMN" },
        { "mid", r => r.Mid = "12IMPIND1250VIL" },
        { "effective_date", r => r.EffectiveDate = new Date { Year = 2024, Month = 13, Day = 1 } },
        { "effective_date", r => r.EffectiveDate = Date(DateTime.UtcNow.Year + 1, 1, 1) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_InvalidArgument_naming_the_field_and_changes_and_publishes_nothing(string field, Action<AddFacilityMidRequest> spoil)
    {
        var facility = await fixture.RegisterAsync();
        var request = new AddFacilityMidRequest { FacilityId = facility.FacilityId, Mid = NewMid() };
        spoil(request);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Facilities().AddFacilityMidAsync(request, Officer).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
        Assert.Equal(facility.Mids, (await GetAsync(facility.FacilityId)).Mids);
        Assert.Equal(0, await OutboxCountAsync(facility.FacilityId));
    }

    [Fact]
    public async Task An_unknown_facility_is_NotFound()
    {
        var unknown = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<RpcException>(() => AddAsync(unknown, NewMid()));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains(unknown, error.Status.Detail);
        Assert.Equal(0, await OutboxCountAsync(unknown));
    }

    [Fact]
    public async Task A_MID_of_another_facility_is_refused_naming_that_facility()
    {
        var owner = await fixture.RegisterAsync(legalName: "Goodyear SLP, S. de R.L. de C.V.");
        var other = await fixture.RegisterAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => AddAsync(other.FacilityId, owner.Mids[0]));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains(owner.FacilityId, error.Status.Detail);
        Assert.Contains(owner.Mids[0], error.Status.Detail);
        Assert.Equal(other.Mids, (await GetAsync(other.FacilityId)).Mids);
        Assert.Equal(0, await OutboxCountAsync(other.FacilityId));
    }

    [Fact]
    public async Task A_facility_with_twenty_MIDs_takes_no_more()
    {
        var request = Samples.Impro();
        request.StreetAddress = $"Carretera 57 km {Random.Shared.Next(100_000, 999_999)}";
        for (var i = 0; i < 19; i++) request.Mids.Add(NewMid());
        var facility = (await fixture.Facilities().RegisterFacilityAsync(request, PetitionFixture.Analyst)).Facility;
        Assert.Equal(20, facility.Mids.Count);

        var error = await Assert.ThrowsAsync<RpcException>(() => AddAsync(facility.FacilityId, NewMid()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("mid:", error.Status.Detail);
        Assert.Equal(0, await OutboxCountAsync(facility.FacilityId));
    }

    [Theory]
    [InlineData(Roles.TreasuryOfficer)]
    [InlineData(Roles.CustomsSystem)]
    [InlineData(Roles.Auditor)]
    public async Task Only_ILC_analysts_and_USTR_officers_add_MIDs(string role)
    {
        var facility = await fixture.RegisterAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => AddAsync(facility.FacilityId, NewMid(), token: Tokens.For(role)));
        var analyst = await AddAsync(facility.FacilityId, NewMid(), token: PetitionFixture.Analyst);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.True(analyst.Added);
    }
}
