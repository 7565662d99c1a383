using Npgsql;
using Rrm.Testing;

namespace Rrm.Chaos.Tests;

/// <summary>
/// What a run produced, read from the services' own tables, the customs feed and the mail server once the suite
/// is quiet, against what its cases imply: one case per petition, one suspension instruction per case on the
/// ledger and on the feed (gap-free sequence), and per case the same notifications as a case run without faults.
/// </summary>
public static class Accounting
{
    /// <summary>Lost and duplicated items of each kind; redelivered copies of the same item (same id) apart.</summary>
    public sealed record Result(int Cases, int Lost, int Duplicated, int Redelivered, int Undelivered, List<string> Findings);

    /// <summary>The notifications of one case: (event type, recipient role) → count, as the control case had them.</summary>
    public static async Task<Dictionary<(string, string), int>> NotificationsOfAsync(Stack stack, string petitionId) =>
        (await NotificationsAsync(stack)).GetValueOrDefault(petitionId) ?? [];

    public static async Task WaitQuietAsync(Stack stack, TimeSpan? timeout = null)
    {
        // Quiet: no outbox row waits in any service, no notification is pending, no deadline is due or about to be (a
        // backfilled act's alert is due BackfillGrace after the act, and the counts can hold still that long before it),
        // and the counts stopped moving.
        var soon = Stack.BackfillGrace.TotalSeconds + 1;
        var quiet = $"""
            SELECT (SELECT count(*) FROM petition.outbox_messages WHERE processed_at IS NULL)
                 + (SELECT count(*) FROM review.outbox_messages WHERE processed_at IS NULL)
                 + (SELECT count(*) FROM liquidation.outbox_messages WHERE processed_at IS NULL)
                 + (SELECT count(*) FROM notification.outbox_messages WHERE processed_at IS NULL)
                 + (SELECT count(*) FROM notification.notifications WHERE status NOT IN ('Sent', 'Dead'))
                 + (SELECT count(*) FROM review.scheduled_deadlines WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at < now() + make_interval(secs => {soon}))
                 || '/' || (SELECT count(*) FROM notification.notifications) || '/' || (SELECT count(*) FROM liquidation.instructions)
            """;
        string? last = null;
        await Eventually.GetAsync(async () =>
        {
            var now = await stack.Database.ScalarAsync<string>(quiet);
            var settled = now == last && now.StartsWith("0/");
            last = now;
            if (!settled) await Task.Delay(1000);
            return settled;
        }, s => s, timeout ?? TimeSpan.FromMinutes(3), "the suite to finish its work (outboxes empty, notifications sent)");
    }

    public static async Task<Result> CheckAsync(Stack stack, IReadOnlyCollection<string> petitions, Dictionary<(string, string), int> expected)
    {
        await WaitQuietAsync(stack);
        var findings = new List<string>();
        int lost = 0, duplicated = 0;
        void Count(int have, int want, string what)
        {
            if (have < want) { lost += want - have; findings.Add($"lost: {what} ({have} of {want})"); }
            if (have > want) { duplicated += have - want; findings.Add($"duplicated: {what} ({have}, expected {want})"); }
        }

        var cases = await RowsAsync(stack, "SELECT petition_id::text, id::text FROM review.cases", r => (r.GetString(0), r.GetString(1)));
        var caseOf = cases.GroupBy(c => c.Item1).ToDictionary(g => g.Key, g => g.Select(c => c.Item2).ToList());
        var suspensions = (await RowsAsync(stack, "SELECT case_id::text, id::text, sequence FROM liquidation.instructions WHERE kind = 'LiquidationSuspend'",
            r => (Case: r.GetString(0), Id: r.GetString(1), Sequence: r.GetInt64(2)))).ToLookup(i => i.Case);
        var sequences = await RowsAsync(stack, "SELECT sequence FROM liquidation.instructions ORDER BY sequence", r => r.GetInt64(0));
        var feed = await stack.Feed.DrainAsync();
        var notifications = await NotificationsAsync(stack);
        foreach (var petition in petitions)
        {
            var ids = caseOf.GetValueOrDefault(petition) ?? [];
            Count(ids.Count, 1, $"case of petition {petition}");
            foreach (var caseId in ids) Count(suspensions[caseId].Count(), 1, $"suspension instruction of case {caseId}");
            var have = notifications.GetValueOrDefault(petition) ?? [];
            foreach (var key in expected.Keys.Union(have.Keys))
                Count(have.GetValueOrDefault(key), expected.GetValueOrDefault(key), $"{key.Item1} notification to {key.Item2} for petition {petition}");
        }

        // The feed: every instruction of the ledger arrived; copies of one id are redeliveries the consumer drops.
        var delivered = feed.GroupBy(d => d.InstructionId).ToDictionary(g => g.Key, g => g.Count());
        var ledger = await RowsAsync(stack, "SELECT id::text FROM liquidation.instructions", r => r.GetString(0));
        foreach (var id in ledger) Count(Math.Min(delivered.GetValueOrDefault(id), 1), 1, $"instruction {id} on the feed");
        var redelivered = delivered.Values.Sum(n => n - 1);
        if (!sequences.SequenceEqual(Enumerable.Range(1, sequences.Count).Select(n => (long)n)))
            findings.Add($"the ledger's sequence has a gap: {string.Join(",", sequences.Take(20))}…");

        // Mail: one message per sent notification; more means a message went out twice (a crash after SMTP accepted it).
        var sent = await stack.Database.ScalarAsync<long>("SELECT count(*) FROM notification.notifications WHERE status = 'Sent' AND channel = 'Email'");
        var mails = stack.Smtp.Messages().Count;
        if (mails < sent) Count(mails, (int)sent, "mails for sent notifications");
        redelivered += Math.Max(0, mails - (int)sent);
        var undelivered = (int)await stack.Database.ScalarAsync<long>("SELECT count(*) FROM notification.notifications WHERE status <> 'Sent'");
        if (undelivered > 0) findings.Add($"{undelivered} notifications not sent");
        return new Result(petitions.Count, lost, duplicated, redelivered, undelivered, findings);
    }

    /// <summary>Notifications by the petition they are about (a case's through its petition): (event type, role) → count.</summary>
    private static async Task<Dictionary<string, Dictionary<(string, string), int>>> NotificationsAsync(Stack stack)
    {
        var rows = await RowsAsync(stack, """
            SELECT coalesce(n.petition_id, c.petition_id)::text, n.event_type, n.role
            FROM notification.notifications n LEFT JOIN review.cases c ON c.id = n.case_id
            WHERE coalesce(n.petition_id, c.petition_id) IS NOT NULL
            """, r => (Petition: r.GetString(0), Key: (r.GetString(1), r.GetString(2))));
        return rows.GroupBy(r => r.Petition).ToDictionary(g => g.Key, g => g.GroupBy(r => r.Key).ToDictionary(k => k.Key, k => k.Count()));
    }

    private static async Task<List<T>> RowsAsync<T>(Stack stack, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(stack.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }
}
