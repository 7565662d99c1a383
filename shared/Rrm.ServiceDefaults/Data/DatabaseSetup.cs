using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Rrm.ServiceDefaults.Data;

/// <summary>One way to configure a service's DbContext, shared by the app, design-time factories and tests.</summary>
public static class DatabaseSetup
{
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    public static DbContextOptionsBuilder UseServiceDatabase(this DbContextOptionsBuilder options,
        string connectionString, string schema) =>
        // Split queries: an aggregate with several owned collections loads without a cartesian product.
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable, schema)
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .UseSnakeCaseNamingConvention();

    public static DbContextOptions<TDb> OptionsFor<TDb>(string connectionString, string schema) where TDb : DbContext =>
        (DbContextOptions<TDb>)new DbContextOptionsBuilder<TDb>().UseServiceDatabase(connectionString, schema).Options;

    /// <summary>
    /// The database of a design-time factory (<c>dotnet ef</c>, tools/ef): <c>ConnectionStrings__Postgres</c> as the
    /// service reads it (tools/ef sets the local suite's), else a placeholder that only commands needing no database use.
    /// </summary>
    public static string DesignTimeConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } configured ? configured : "Host=localhost;Database=design_time";

    /// <summary>The channel the outbox trigger notifies and the relay listens on.</summary>
    public static string OutboxChannel(string schema) => $"{schema}_outbox";

    /// <summary>
    /// Raw SQL for a service's hand-written migration: wakes the outbox relay when rows are inserted.
    /// NOTIFY is delivered at COMMIT only, so a rolled-back transaction wakes nobody.
    /// </summary>
    public static void CreateOutboxNotifyTrigger(this MigrationBuilder migration, string schema) =>
        migration.Sql(OutboxNotifyTriggerSql(schema));

    // The text of landed migrations: keep it as it is.
    public static string OutboxNotifyTriggerSql(string schema) => $"""
            CREATE OR REPLACE FUNCTION "{schema}".notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('{OutboxChannel(schema)}', ''); RETURN NULL; END $$;
            CREATE TRIGGER outbox_messages_notify AFTER INSERT ON "{schema}".outbox_messages
            FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".notify_outbox();
            """;

    public static void DropOutboxNotifyTrigger(this MigrationBuilder migration, string schema)
    {
        migration.Sql($"""
            DROP TRIGGER IF EXISTS outbox_messages_notify ON "{schema}".outbox_messages;
            DROP FUNCTION IF EXISTS "{schema}".notify_outbox();
            """);
    }

    /// <summary>
    /// A trigger that NOTIFYs <paramref name="channel"/> after each row inserted into <paramref name="table"/>,
    /// with the row's <paramref name="payloadColumn"/> as payload (Postgres folds identical notifications of
    /// one transaction into one). Delivered at COMMIT only.
    /// </summary>
    public static void CreateNotifyTrigger(this MigrationBuilder migration, string schema, string table, string channel, string payloadColumn) =>
        migration.Sql($"""
            CREATE OR REPLACE FUNCTION "{schema}".notify_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('{channel}', NEW.{payloadColumn}::text); RETURN NULL; END $$;
            CREATE TRIGGER {table}_notify AFTER INSERT ON "{schema}".{table}
            FOR EACH ROW EXECUTE FUNCTION "{schema}".notify_{table}();
            """);

    public static void DropNotifyTrigger(this MigrationBuilder migration, string schema, string table) =>
        migration.Sql($"""
            DROP TRIGGER IF EXISTS {table}_notify ON "{schema}".{table};
            DROP FUNCTION IF EXISTS "{schema}".notify_{table}();
            """);
}
