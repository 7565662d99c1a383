using Rrm.ServiceDefaults.Messaging;
using Rrm.TariffLiquidation.Application;

namespace Rrm.TariffLiquidation.Messaging;

/// <summary>Declares the customs feed's exchange at start (retrying while the broker is away), so the customs system can bind its queue before the first instruction.</summary>
internal sealed class FeedTopology(FeedPublisher feed, ILogger<FeedTopology> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var delay = TimeSpan.FromSeconds(1); !stoppingToken.IsCancellationRequested; delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30)))
        {
            try
            {
                await feed.DeclareAsync(InstructionLedger.Exchange, stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Declaring the exchange {Exchange} failed ({Error}); retrying in {Delay}", InstructionLedger.Exchange, e.Message, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
