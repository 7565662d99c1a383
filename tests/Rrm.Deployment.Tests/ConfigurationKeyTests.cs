using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Rrm.Testing;
using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// Every configuration key the deployment files give the services binds to a real options property
/// (Section__Property…, the classes with a SectionName), so a misspelt key cannot be silently ignored.
/// </summary>
public sealed partial class ConfigurationKeyTests
{
    /// <summary>Read by the host or the OpenTelemetry SDK rather than by an options class.</summary>
    private static readonly HashSet<string> HostKeys = ["Urls", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    private static readonly Dictionary<string, Type> Sections = new[]
        {
            typeof(Rrm.ServiceDefaults.Configuration.ConnectionStringOptions).Assembly, typeof(Rrm.Petition.PetitionModule).Assembly,
            typeof(Rrm.Review.ReviewOptions).Assembly, typeof(Rrm.TariffLiquidation.LiquidationOptions).Assembly,
            typeof(Rrm.Notification.NotificationOptions).Assembly,
        }
        .SelectMany(a => a.GetTypes())
        .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
        .Where(x => x.Section is not null)
        .ToDictionary(x => x.Section!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Why the key binds to nothing; null when it binds.</summary>
    public static string? Unbound(string key)
    {
        if (HostKeys.Contains(key)) return null;
        var parts = key.Split("__");
        if (parts.Length < 2) return "is not a Section__Property key";
        if (!Sections.TryGetValue(parts[0], out var type)) return $"has no options section '{parts[0]}' (sections: {string.Join(", ", Sections.Keys.Order())})";
        foreach (var part in parts[1..])
        {
            var element = type.IsArray ? type.GetElementType()
                : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string) ? type.GetGenericArguments()[0] : null;
            if (element is not null && int.TryParse(part, out _))
            {
                type = element;
                continue;
            }
            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite) return $"names no property '{part}' of {type.Name}";
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        return null;
    }

    [Theory]
    [InlineData("Review__PetitionUrl", true)]
    [InlineData("Review__Holidays__0", true)]
    [InlineData("Notification__Smtp__Port", true)]
    [InlineData("ConnectionStrings__Postgres", true)]
    [InlineData("Messaging__QuorumQueues", true)]
    [InlineData("Notification__SmtpPort", false)]
    [InlineData("Notifications__PetitionUrl", false)]
    [InlineData("Review__PetitionUrl__Host", false)]
    [InlineData("PETITION_URL", false)]
    public void A_key_binds_only_when_an_options_property_has_that_path(string key, bool binds) =>
        Assert.Equal(binds, Unbound(key) is null);

    [Fact]
    public void Every_key_of_the_compose_file_binds()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Repository.Root, "docker-compose.yml"))));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var environment = (YamlMappingNode)((YamlMappingNode)root["x-service"])["environment"];

        var keys = environment.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

        Assert.Contains("ConnectionStrings__Postgres", keys);
        Assert.All(keys, key => Assert.True(Unbound(key) is null, $"{key} {Unbound(key)}"));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Every_key_of_the_ConfigMaps_and_the_service_containers_binds_or_feeds_another(string overlay)
    {
        var rendered = await Manifests.RenderRawAsync(Path.Combine(Repository.Root, "k8s"), overlay);
        var objects = await Manifests.RenderAsync(Path.Combine(Repository.Root, "k8s"), overlay);
        // Keys that only feed another value through $(KEY) (host names, secrets).
        var helpers = Interpolation().Matches(rendered.Output).Select(m => m.Groups[1].Value).ToHashSet();

        var services = objects.Where(o => o.Kind == "Deployment" && o.Label("app.kubernetes.io/component") == "service").ToList();
        // The services' ConfigMaps (not the broker's file of definitions, which no service reads).
        var keys = objects.Where(o => o.Kind == "ConfigMap" && services.Any(d => d.Text().Contains(o.Name))).SelectMany(o => o.Find("data") is YamlMappingNode data
                ? data.Children.Keys.Select(k => ((YamlScalarNode)k).Value!) : [])
            .Concat(services.SelectMany(o => o.EnvironmentNames()))
            .Where(k => !helpers.Contains(k))
            .Distinct().ToList();

        Assert.Contains("Review__PetitionUrl", keys);
        Assert.Contains("ConnectionStrings__Postgres", keys);
        Assert.All(keys, key => Assert.True(Unbound(key) is null, $"{key} {Unbound(key)}"));
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Interpolation();
}
