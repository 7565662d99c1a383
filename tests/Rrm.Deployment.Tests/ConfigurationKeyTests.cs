using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Rrm.Testing;
using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// Every configuration key the deployment files give the services and the board binds to a real options property
/// (Section__Property…, the classes with a SectionName), so a misspelt key cannot be silently ignored.
/// </summary>
public sealed partial class ConfigurationKeyTests
{
    /// <summary>Read by the host or the OpenTelemetry SDK rather than by an options class.</summary>
    private static readonly HashSet<string> HostKeys = ["Urls", "OTEL_EXPORTER_OTLP_ENDPOINT", "ASPNETCORE_FORWARDEDHEADERS_ENABLED"];

    private static readonly Dictionary<string, Type> Sections = new[]
        {
            typeof(Rrm.ServiceDefaults.Configuration.ConnectionStringOptions).Assembly, typeof(Rrm.Petition.PetitionModule).Assembly,
            typeof(Rrm.Review.ReviewOptions).Assembly, typeof(Rrm.TariffLiquidation.LiquidationOptions).Assembly,
            typeof(Rrm.Notification.NotificationOptions).Assembly, typeof(Rrm.Board.BoardOptions).Assembly,
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

    /// <summary>
    /// Every key the code binds: each public settable property of each options class as Section__Property, a nested
    /// options class's as Section__Property__Sub… (a list is one key, given with __0, __1…), and the host's own keys.
    /// </summary>
    public static List<string> BoundKeys() => Sections.SelectMany(s => Keys(s.Key, s.Value)).Concat(HostKeys).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> Keys(string prefix, Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true })
            .SelectMany(p => IsValue(p.PropertyType) ? [$"{prefix}__{p.Name}"] : Keys($"{prefix}__{p.Name}", p.PropertyType));

    private static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type.IsValueType || type == typeof(string) || type == typeof(Uri) || typeof(IEnumerable).IsAssignableFrom(type);
    }

    /// <summary>The keys of <see cref="BoundKeys"/> that <paramref name="text"/> never names whole.</summary>
    public static List<string> Undocumented(string text) =>
        BoundKeys().Where(key => !Regex.IsMatch(text, $"(?<![A-Za-z0-9_]){Regex.Escape(key)}(?![A-Za-z0-9])")).ToList();

    [Fact]
    public void Every_key_the_code_binds_is_documented_in_the_README_or_the_operations_guide()
    {
        var documentation = File.ReadAllText(Path.Combine(Repository.Root, "README.md")) + "\n" +
            File.ReadAllText(Path.Combine(Repository.Root, "docs", "operations.md"));

        var undocumented = Undocumented(documentation);

        Assert.Contains("Liquidation__EnforceCheckDigit", BoundKeys());
        Assert.Contains("Notification__Smtp__Host", BoundKeys());
        Assert.Contains("Board__Oidc__ClientSecret", BoundKeys());
        Assert.True(undocumented.Count == 0, "Not in README.md or docs/operations.md: " + string.Join(", ", undocumented));
    }

    [Theory]
    [InlineData("`Outbox__BatchSize` (100)", true)]
    [InlineData("Review__Holidays__0=2025-03-17", true)]
    [InlineData("`Outbox__BatchSizes`", false)]
    [InlineData("`MyOutbox__BatchSize`", false)]
    [InlineData("`__BatchSize`", false)]
    public void A_key_counts_as_documented_only_when_named_whole(string text, bool documented) =>
        Assert.Equal(documented, !Undocumented(text).Contains(text.Contains("Holidays") ? "Review__Holidays" : "Outbox__BatchSize"));

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
    public async Task Every_key_of_the_compose_file_binds()
    {
        // As compose resolves it (anchors and merge keys), for every service built from deploy/Dockerfile.
        var config = await Command.RunAsync("docker-compose", ["-f", Path.Combine(Repository.Root, "docker-compose.yml"), "config"]);
        Assert.True(config.ExitCode == 0, config.Error);
        var stream = new YamlStream();
        stream.Load(new StringReader(config.Output));
        var services = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
        var ours = services.Children.Values.OfType<YamlMappingNode>()
            .Where(s => s.Children.TryGetValue(new YamlScalarNode("image"), out var image) && $"{image}".StartsWith("rrm/")).ToList();

        Assert.Equal(9, ours.Count); // four services, their migrations, and the board
        foreach (var service in ours)
        {
            var keys = ((YamlMappingNode)service["environment"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
            Assert.Contains($"{service["image"]}" == "rrm/board:dev" ? "Board__PetitionUrl" : "ConnectionStrings__Postgres", keys);
            Assert.All(keys, key => Assert.True(Unbound(key) is null, $"{key} {Unbound(key)}"));
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Every_key_of_the_ConfigMaps_and_the_service_and_board_containers_binds_or_feeds_another(string overlay)
    {
        var rendered = await Manifests.RenderRawAsync(Path.Combine(Repository.Root, "k8s"), overlay);
        var objects = await Manifests.RenderAsync(Path.Combine(Repository.Root, "k8s"), overlay);
        // Keys that only feed another value through $(KEY) (host names, secrets).
        var helpers = Interpolation().Matches(rendered.Output).Select(m => m.Groups[1].Value).ToHashSet();

        var services = Manifests.DeployableDeployments(objects).ToList();
        // The services' and the board's ConfigMaps (not the broker's file of definitions, which no service reads).
        var keys = objects.Where(o => o.Kind == "ConfigMap" && services.Any(d => d.Text().Contains(o.Name))).SelectMany(o => o.Find("data") is YamlMappingNode data
                ? data.Children.Keys.Select(k => ((YamlScalarNode)k).Value!) : [])
            .Concat(services.SelectMany(o => o.EnvironmentNames()))
            .Where(k => !helpers.Contains(k))
            .Distinct().ToList();

        Assert.Contains("Review__PetitionUrl", keys);
        Assert.Contains("Board__NotificationUrl", keys);
        Assert.Contains("ConnectionStrings__Postgres", keys);
        Assert.All(keys, key => Assert.True(Unbound(key) is null, $"{key} {Unbound(key)}"));
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Interpolation();
}
