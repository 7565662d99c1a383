namespace Rrm.Testing;

/// <summary>
/// One of the four services as the tests meet it: its project (and process name), its name in the manifests
/// (Kubernetes Deployment, Compose service), its database role and schema (k8s/components/postgres-roles), and the
/// proto package it serves. The one list the test side keeps of them.
/// </summary>
public sealed record ServiceProject(string Name, string Deployment, string Role, string Schema, string ProtoPackage)
{
    public static readonly ServiceProject Petition = new("Rrm.Petition", "petition", "rrm_petition", "petition", "rrm.petition.v1");
    public static readonly ServiceProject Review = new("Rrm.Review", "review", "rrm_review", "review", "rrm.review.v1");
    public static readonly ServiceProject Liquidation =
        new("Rrm.TariffLiquidation", "tariff-liquidation", "rrm_liquidation", "liquidation", "rrm.liquidation.v1");
    public static readonly ServiceProject Notification =
        new("Rrm.Notification", "notification", "rrm_notification", "notification", "rrm.notification.v1");

    public static readonly IReadOnlyList<ServiceProject> All = [Petition, Review, Liquidation, Notification];

    /// <summary>The service of project <paramref name="name"/> (e.g. "Rrm.Petition").</summary>
    public static ServiceProject Named(string name) =>
        All.SingleOrDefault(p => p.Name == name) ?? throw new ArgumentException($"{name} is not a service project", nameof(name));

    /// <summary>The service that serves the proto package <paramref name="package"/> (e.g. "rrm.review.v1").</summary>
    public static ServiceProject Serving(string package) =>
        All.SingleOrDefault(p => p.ProtoPackage == package) ?? throw new NotSupportedException($"no service process serves {package}");
}
