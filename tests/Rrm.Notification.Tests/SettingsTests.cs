using Rrm.Testing;

namespace Rrm.Notification.Tests;

/// <summary>A bad mail setting stops the service at start, naming the key, rather than failing every delivery later.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Notification__Smtp__Port", "0", "Notification:Smtp:Port")]
    [InlineData("Notification__Smtp__Host", "", "Notification:Smtp:Host")]
    [InlineData("Notification__Smtp__From", "notifications at example.org", "Notification:Smtp:From")]
    public async Task A_bad_SMTP_setting_stops_the_service_at_start_with_a_message_naming_the_key(string variable, string value, string key)
    {
        await using var database = await TestDatabase.CreateAsync();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = "amqp://unused:unused@127.0.0.1:1/",
            ["Auth__SigningKey"] = TestEnvironment.SigningKey,
            ["Notification__PetitionUrl"] = "http://127.0.0.1:1",
            [variable] = value,
        };

        var start = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync("Rrm.Notification", environment));

        Assert.Contains("Rrm.Notification exited with 2 during start-up", start.Message);
        Assert.Contains($"rrm: configuration error: Configuration key '{key}'", start.Message);
    }
}
