using Rrm.ServiceDefaults.Data;

namespace Rrm.ServiceDefaults.Deadlines;

/// <summary>
/// Handles due deadlines of one kind. It runs inside the scheduler's transaction: whatever it changes
/// in the <see cref="RrmDbContext"/> it is given (state, outbox events) commits together with the deadline's firing, once.
/// </summary>
public interface IDeadlineHandler
{
    string Kind { get; }
    Task HandleAsync(ScheduledDeadline deadline, RrmDbContext db, CancellationToken cancellationToken);
}
