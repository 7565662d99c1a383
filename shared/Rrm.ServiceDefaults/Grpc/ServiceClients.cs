using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rrm.ServiceDefaults.Grpc;

public static class ServiceClients
{
    /// <summary>
    /// A gRPC client of another service of the suite, at the address <paramref name="address"/> reads from the
    /// options. Calls are retried while the service is briefly UNAVAILABLE (gRPC retry policy, STYLE.md), and
    /// callers give every call a deadline.
    /// </summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IServiceCollection services, Func<IServiceProvider, string> address)
        where TClient : class =>
        services.AddGrpcClient<TClient>((sp, o) => o.Address = new Uri(address(sp)))
            .ConfigureChannel(c => c.ServiceConfig = new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = 4,
                            InitialBackoff = TimeSpan.FromMilliseconds(200),
                            MaxBackoff = TimeSpan.FromSeconds(2),
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            });
}
