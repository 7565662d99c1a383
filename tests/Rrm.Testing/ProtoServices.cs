using System.Reflection;
using Google.Protobuf.Reflection;

namespace Rrm.Testing;

/// <summary>Every gRPC service and method the suite's protos declare, read from the generated code (Rrm.Contracts), not listed by hand.</summary>
public static class ProtoServices
{
    public static IReadOnlyList<ServiceDescriptor> All { get; } = typeof(Rrm.Grpc.Petition.V1.PetitionService).Assembly.GetTypes()
        .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
        .Where(p => p?.PropertyType == typeof(ServiceDescriptor))
        .Select(p => (ServiceDescriptor)p!.GetValue(null)!)
        .OrderBy(s => s.FullName, StringComparer.Ordinal)
        .ToList();

    public static IEnumerable<MethodDescriptor> Methods => All.SelectMany(s => s.Methods);

    /// <summary>The method's path as docs/security.md names it: "package.Service/Method".</summary>
    public static string PathOf(MethodDescriptor rpc) => $"{rpc.Service.FullName}/{rpc.Name}";
}
