namespace Rrm.Testing;

/// <summary>Where the real servers are. `./rrm test` exports these; tests never start their own.</summary>
public static class TestEnvironment
{
    /// <summary>Npgsql connection string of a role that may create databases.</summary>
    public static string PostgresAdmin => Required("RRM_PG_CONN");
    /// <summary>AMQP URI without a virtual host, e.g. amqp://rrm:rrm@127.0.0.1:55672.</summary>
    public static string AmqpBase => Required("RRM_AMQP_BASE").TrimEnd('/');
    public static string ManagementUrl => Required("RRM_MGMT_URL").TrimEnd('/');
    public static string ManagementUser => Required("RRM_MGMT_USER");
    public static string ManagementPassword => Required("RRM_MGMT_PASSWORD");

    /// <summary>The HS256 key tests sign tokens with; a local-development value, not a secret.</summary>
    public const string SigningKey = "rrm-tests-local-development-signing-key-0123456789";

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests with `./rrm test`, which starts PostgreSQL and RabbitMQ and sets it.");
}
