using System.Reflection;
using NetArchTest.Rules;

namespace Rrm.Architecture.Tests;

/// <summary>
/// Every service has the same folders (Messaging/ only where it consumes messages), and they depend on each other one way (docs/adr/0009-one-way-dependencies.md):
/// Domain on nothing of the service; Data on Domain; Application on Domain and Data; Grpc and Messaging on those three,
/// never on each other. Proto types (Rrm.Grpc.*) only in Grpc/ and the module's wiring.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly Dictionary<string, Assembly> Services = new()
    {
        ["Rrm.Petition"] = typeof(Rrm.Petition.PetitionModule).Assembly,
        ["Rrm.Review"] = typeof(Rrm.Review.ReviewModule).Assembly,
        ["Rrm.TariffLiquidation"] = typeof(Rrm.TariffLiquidation.TariffLiquidationModule).Assembly,
        ["Rrm.Notification"] = typeof(Rrm.Notification.NotificationModule).Assembly,
    };

    private static readonly string[] Folders = ["Domain", "Application", "Data", "Grpc", "Messaging"];

    private const string ProtoTypes = "Rrm.Grpc";

    /// <summary>The frameworks the domain stays free of: persistence, transport, messaging, hosting.</summary>
    private static readonly string[] Frameworks = ["Microsoft.EntityFrameworkCore", "Grpc", "Google.Protobuf", "MassTransit", "Microsoft.AspNetCore", ProtoTypes];

    public static TheoryData<string, string> FoldersOfEachService()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in Services.Keys)
            foreach (var folder in Folders) data.Add(service, folder);
        return data;
    }

    public static TheoryData<string> EachService() => [.. Services.Keys];

    [Theory]
    [MemberData(nameof(FoldersOfEachService))]
    public void A_folder_depends_only_on_the_folders_before_it(string service, string folder)
    {
        var broken = Forbidden(service, folder)
            .SelectMany(dependency => TypesIn(service, folder).And().HaveDependencyOn(dependency).GetTypes()
                .Select(type => $"{type.FullName} -> {dependency}"))
            .Order().ToList();
        Assert.True(broken.Count == 0, $"{service}/{folder} depends on what it must not:\n{string.Join("\n", broken)}");
    }

    [Theory]
    [MemberData(nameof(EachService))]
    public void A_service_has_the_common_folders_and_no_others(string service)
    {
        var namespaces = Types.InAssembly(Services[service]).That().ResideInNamespaceStartingWith(service + ".").GetTypes()
            .Select(t => t.Namespace!).Distinct().ToList();
        var elsewhere = namespaces.Where(ns => !Folders.Any(f => ns == $"{service}.{f}" || ns.StartsWith($"{service}.{f}.", StringComparison.Ordinal)))
            .Order().ToList();
        var missing = Folders.Where(f => !namespaces.Contains($"{service}.{f}") && !(f == "Messaging" && !Consumes(service))).ToList();
        Assert.True(elsewhere.Count == 0 && missing.Count == 0,
            $"{service} has code outside {string.Join(", ", Folders)}: [{string.Join(", ", elsewhere)}]; folders missing: [{string.Join(", ", missing)}]");
    }

    /// <summary>Messaging/ holds consumers: a service that only publishes (through the outbox) has none.</summary>
    private static bool Consumes(string service) =>
        Services[service].GetTypes().Any(t => t.GetInterfaces().Any(i => i.FullName?.StartsWith("MassTransit.IConsumer", StringComparison.Ordinal) == true));

    /// <summary>What <paramref name="folder"/> of <paramref name="service"/> must not use (namespace or type name prefixes).</summary>
    private static IEnumerable<string> Forbidden(string service, string folder)
    {
        string[] Of(params string[] folders) => [.. folders.Select(f => $"{service}.{f}")];
        // The module and options at the root are wiring: the domain and the data know nothing of them.
        var root = Types.InAssembly(Services[service]).That().ResideInNamespaceMatching($"^{service.Replace(".", @"\.")}$").GetTypes()
            .Select(t => t.FullName!).ToArray();
        return folder switch
        {
            "Domain" => [.. Of("Application", "Data", "Grpc", "Messaging"), .. root, .. Frameworks],
            "Data" => [.. Of("Application", "Grpc", "Messaging"), .. root, ProtoTypes],
            "Application" => [.. Of("Grpc", "Messaging"), ProtoTypes],
            "Grpc" => Of("Messaging"),
            "Messaging" => [.. Of("Grpc"), ProtoTypes],
            _ => throw new ArgumentOutOfRangeException(nameof(folder), folder, "not one of the common folders"),
        };
    }

    private static PredicateList TypesIn(string service, string folder) =>
        Types.InAssembly(Services[service]).That().ResideInNamespaceMatching($@"^{service.Replace(".", @"\.")}\.{folder}(\..+)?$");
}
