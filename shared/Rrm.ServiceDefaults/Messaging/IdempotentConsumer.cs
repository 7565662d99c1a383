using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Rrm.ServiceDefaults.Data;

namespace Rrm.ServiceDefaults.Messaging;

/// <summary>
/// Base for consumers whose effects must happen once per message. The message id goes into the inbox
/// in the same transaction as the effects: a redelivered message finds it there and changes nothing.
/// A concurrent duplicate waits on the inbox row's key until the first commits, then does nothing.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TDb>(TDb db, ILogger logger) : IConsumer<TMessage>
    where TMessage : class where TDb : RrmDbContext
{
    protected TDb Db { get; } = db;

    /// <summary>The consumer's name in the inbox: a message is handled once by each consumer.</summary>
    protected virtual string Name => GetType().Name;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(TMessage).Name} arrived without a message id.");
        var consumer = Name;
        await using var transaction = await Db.BeginUnitOfWorkAsync(context.CancellationToken);
        var recordMessage = $$"""INSERT INTO "{{Db.Schema}}".inbox_messages (message_id, consumer, processed_at) VALUES ({0}, {1}, now()) ON CONFLICT DO NOTHING""";
        var inserted = await Db.Database.ExecuteSqlRawAsync(recordMessage, [messageId, consumer], context.CancellationToken);
        if (inserted == 0)
        {
            logger.LogInformation("{Consumer} skipped message {MessageId}: already handled", consumer, messageId);
            return;
        }
        await HandleAsync(context.Message, context);
        await Db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    /// <summary>Applies the message's effects to <see cref="Db"/>; do not call SaveChanges.</summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context);
}
