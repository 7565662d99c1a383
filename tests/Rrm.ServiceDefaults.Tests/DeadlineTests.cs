using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rrm.ServiceDefaults.Deadlines;
using Rrm.ServiceDefaults.Telemetry;
using Rrm.Testing;

namespace Rrm.ServiceDefaults.Tests;

public sealed class DeadlineTests(InfrastructureFixture infra) : IClassFixture<InfrastructureFixture>
{
    private static readonly DateTimeOffset Now = new(2024, 7, 26, 16, 0, 0, TimeSpan.Zero);

    private async Task ScheduleAsync(string key, DateTimeOffset due)
    {
        await using var db = TestDbContext.Open(infra.Database.ConnectionString);
        await db.ScheduleDeadlineAsync(key, "test-mark", due, new { note = "test" }, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private Task<long> MarksAsync(string prefix) =>
        infra.Database.ScalarAsync<long>($"SELECT count(*) FROM machinery.fired_marks WHERE deadline_key LIKE '{prefix}%'");

    [Fact]
    public async Task Due_rows_fire_exactly_once_with_two_schedulers_running()
    {
        var prefix = $"due-{Guid.NewGuid():N}-";
        for (var i = 0; i < 40; i++) await ScheduleAsync(prefix + i, Now.AddDays(-1).AddMinutes(i));
        var clock = new ManualClock(Now);
        var starting = new[] { infra.StartAsync(clock: clock), infra.StartAsync(clock: clock) };
        await using var a = await starting[0];
        await using var b = await starting[1];
        // Both also fire by hand, concurrently, to make them contend for the same rows.
        await Task.WhenAll(
            a.Services.GetRequiredService<DeadlineScheduler<TestDbContext>>().FireDueAsync(CancellationToken.None),
            b.Services.GetRequiredService<DeadlineScheduler<TestDbContext>>().FireDueAsync(CancellationToken.None));

        await Eventually.GetAsync(() => MarksAsync(prefix), n => n >= 40, what: "40 deadlines to fire");
        await Task.Delay(500);
        Assert.Equal(40, await MarksAsync(prefix));
        Assert.Equal(40, await infra.Database.ScalarAsync<long>(
            $"SELECT count(DISTINCT deadline_key) FROM machinery.fired_marks WHERE deadline_key LIKE '{prefix}%'"));
    }

    [Fact]
    public async Task A_row_in_the_future_does_not_fire_until_the_clock_reaches_it()
    {
        var key = $"future-{Guid.NewGuid():N}";
        await ScheduleAsync(key, Now.AddDays(10));
        var clock = new ManualClock(Now);
        await using var host = await infra.StartAsync(clock: clock);
        var scheduler = host.Services.GetRequiredService<DeadlineScheduler<TestDbContext>>();

        await scheduler.FireDueAsync(CancellationToken.None);
        Assert.Equal(0, await Eventually.StaysAsync(() => MarksAsync(key), n => n == 0, TimeSpan.FromMilliseconds(500)));

        clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(1, await Eventually.GetAsync(() => MarksAsync(key), n => n >= 1, what: "the deadline to fire"));
    }

    [Fact]
    public async Task A_cancelled_deadline_never_fires()
    {
        var key = $"cancelled-{Guid.NewGuid():N}";
        await ScheduleAsync(key, Now.AddDays(-1));
        await using (var db = TestDbContext.Open(infra.Database.ConnectionString))
        {
            await db.CancelDeadlineAsync(key, Now, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        await using var host = await infra.StartAsync(clock: new ManualClock(Now));

        await host.Services.GetRequiredService<DeadlineScheduler<TestDbContext>>().FireDueAsync(CancellationToken.None);

        Assert.Equal(0, await Eventually.StaysAsync(() => MarksAsync(key), n => n == 0, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task A_deadline_without_a_handler_is_retried_with_backoff_and_keeps_its_error()
    {
        var key = $"orphan-{Guid.NewGuid():N}";
        await using (var db = TestDbContext.Open(infra.Database.ConnectionString))
        {
            await db.ScheduleDeadlineAsync(key, "no-such-kind", Now.AddDays(-1), null, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        await using var host = await infra.StartAsync(clock: new ManualClock(Now));

        var row = await Eventually.GetAsync(async () =>
        {
            await using var check = TestDbContext.Open(infra.Database.ConnectionString);
            return await check.Deadlines.AsNoTracking().SingleAsync(d => d.Key == key);
        }, d => d.Attempts >= 1, what: "a failed attempt to be recorded");

        Assert.Null(row.FiredAt);
        Assert.True(row.Attempts >= 1);
        Assert.Contains("no-such-kind", row.LastError);
        Assert.True(row.NextAttemptAt > Now);
    }

    [Fact]
    public async Task A_handler_that_throws_is_counted_in_rrm_deadlines_failed_by_kind()
    {
        var failures = new ConcurrentQueue<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == RrmTelemetry.Name && i.Name == "rrm.deadlines.failed") l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag is { Key: "kind", Value: FailingDeadlineHandler.FailingKind }) failures.Enqueue(value);
        });
        listener.Start();
        var key = $"failing-{Guid.NewGuid():N}";
        await using (var db = TestDbContext.Open(infra.Database.ConnectionString))
        {
            await db.ScheduleDeadlineAsync(key, FailingDeadlineHandler.FailingKind, Now.AddDays(-1), null, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        await using var host = await infra.StartAsync(clock: new ManualClock(Now));

        var row = await Eventually.GetAsync(async () =>
        {
            await using var check = TestDbContext.Open(infra.Database.ConnectionString);
            return await check.Deadlines.AsNoTracking().SingleAsync(d => d.Key == key);
        }, d => d.Attempts >= 1, what: "a failed attempt to be recorded");

        Assert.Null(row.FiredAt);
        Assert.True(failures.Sum() >= row.Attempts, $"{failures.Sum()} failures counted for {row.Attempts} attempts");
    }
}
