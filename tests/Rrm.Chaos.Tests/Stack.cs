using Grpc.Core;
using Grpc.Health.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Testing;

namespace Rrm.Chaos.Tests;

/// <summary>
/// The four services as processes (<see cref="ServiceStack"/>, one or more replicas each), with three notification
/// recipients and a customs-system queue on the feed. Faults are real: processes are killed with SIGKILL, and the
/// servers themselves are stopped (`rrm fault`).
/// </summary>
public sealed class Stack : ServiceStack
{
    /// <summary>How long after its act a backfilled case's overdue alert fires (Deadlines:BackfillGrace), so it fires during the run.</summary>
    public static readonly TimeSpan BackfillGrace = TimeSpan.FromSeconds(2);

    public FeedQueue Feed { get; private set; } = null!;

    public static async Task<Stack> StartAsync(int replicas = 1)
    {
        var stack = new Stack();
        try
        {
            await stack.StartServicesAsync(new Dictionary<string, string>
            {
                ["Outbox__PollInterval"] = "00:00:01",
                ["Deadlines__PollInterval"] = "00:00:00.500",
                ["Deadlines__BackfillGrace"] = BackfillGrace.ToString("c"),
                ["Notification__PollInterval"] = "00:00:00.500",
                // A notification whose sender was killed mid-send is taken up again after this (the local SMTP server answers at once).
                ["Notification__Lease"] = "00:00:10",
            }, replicas);
            stack.Feed = await FeedQueue.BindAsync(stack.VirtualHost.AmqpUri);
            await stack.AddRecipientsAsync(new[] { RecipientRole.GovernmentOfMexico, RecipientRole.TreasuryCbp, RecipientRole.UstrCaseOfficer }
                .Select(role => (role, $"{role}@chaos.example".ToLowerInvariant(), role == RecipientRole.GovernmentOfMexico ? "es" : "en")));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync(); // what did start
            throw;
        }
    }

    /// <summary>Kills the replica with SIGKILL and starts it again on the same address.</summary>
    public async Task CrashAndRestartAsync(string project, int replica = 0)
    {
        var list = Replicas[project];
        await list[replica].KillAsync();
        list[replica] = await list[replica].RestartAsync();
    }

    /// <summary>Stops or starts a server of the shared infrastructure (scripts/infra.sh, infra_fault).</summary>
    public static async Task FaultAsync(string what)
    {
        var (code, output, error) = await Command.RunAsync("bash", [Path.Combine(Repository.Root, "rrm"), "fault", what], timeout: TimeSpan.FromSeconds(120));
        if (code != 0) throw new InvalidOperationException($"rrm fault {what} exited with {code}: {output}{error}");
    }

    /// <summary>The readiness of one replica: SERVING, NOT_SERVING, or null when it does not answer at all.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus?> ReadinessAsync(ServiceProcess service, string check = "readiness")
    {
        try
        {
            return (await new Health.HealthClient(service.Channel).CheckAsync(new HealthCheckRequest { Service = check },
                deadline: DateTime.UtcNow.AddSeconds(3))).Status;
        }
        catch (RpcException) { return null; }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Feed is not null) await Feed.DisposeAsync();
        await base.DisposeAsync();
    }
}
