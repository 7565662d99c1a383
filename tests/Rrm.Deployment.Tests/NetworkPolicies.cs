using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>Reading rendered NetworkPolicies as the cluster applies them: which pods a policy selects, and for which direction.</summary>
public static class NetworkPolicies
{
    /// <summary>The rendered NetworkPolicies.</summary>
    public static List<K8sObject> Of(IEnumerable<K8sObject> objects) => [.. objects.Where(o => o.Kind == "NetworkPolicy")];

    /// <summary>The pod template labels of each Deployment and StatefulSet, by its name.</summary>
    public static Dictionary<string, Dictionary<string, string>> Pods(IEnumerable<K8sObject> objects) =>
        objects.Where(o => o.Kind is "Deployment" or "StatefulSet").ToDictionary(o => o.Name, o => Labels(o.Map("spec.template.metadata.labels")));

    /// <summary>The <paramref name="type"/> rules (Ingress, Egress) that govern a pod with these labels, each with its policy.</summary>
    public static IEnumerable<(K8sObject Policy, YamlMappingNode Rule)> Rules(IEnumerable<K8sObject> policies, Dictionary<string, string> pod, string type) =>
        policies.Where(p => Applies(p, pod, type)).SelectMany(p => p.Seq($"spec.{type.ToLowerInvariant()}").OfType<YamlMappingNode>().Select(rule => (p, rule)));

    /// <summary>Whether <paramref name="policy"/> governs <paramref name="type"/> (Ingress, Egress) of a pod with these labels.</summary>
    private static bool Applies(K8sObject policy, Dictionary<string, string> pod, string type) =>
        Selects(policy.Map("spec.podSelector"), pod) && policy.Seq("spec.policyTypes").Any(t => $"{t}" == type);

    /// <summary>Whether a label selector (matchLabels, matchExpressions) selects a pod with these labels; none selects none.</summary>
    public static bool Selects(YamlMappingNode? selector, Dictionary<string, string> labels)
    {
        if (selector is null) return false;
        var matchLabels = Labels(Yaml.Find(selector, "matchLabels") as YamlMappingNode);
        var expressions = Yaml.Seq(selector, "matchExpressions").Select(e =>
        {
            var has = labels.TryGetValue(Yaml.Str(e, "key"), out var value);
            var values = Yaml.Seq(e, "values").Select(v => $"{v}").ToList();
            return Yaml.Str(e, "operator") switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                var unknown => throw new NotSupportedException($"selector operator {unknown}"),
            };
        });
        return matchLabels.All(l => labels.GetValueOrDefault(l.Key) == l.Value) && expressions.All(e => e);
    }

    public static bool IsClusterDns(YamlNode peer) =>
        Yaml.Str(peer, "namespaceSelector.matchLabels", "kubernetes.io/metadata.name") == "kube-system"
        && Yaml.Str(peer, "podSelector.matchLabels", "k8s-app") == "kube-dns";

    public static Dictionary<string, string> Labels(YamlMappingNode? map) =>
        map?.Children.ToDictionary(kv => $"{kv.Key}", kv => $"{kv.Value}") ?? [];
}
