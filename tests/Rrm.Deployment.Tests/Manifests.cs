using System.Text.RegularExpressions;
using Rrm.Testing;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Rrm.Deployment.Tests;

/// <summary>The Kubernetes manifests of a k8s/ directory, rendered by `kubectl kustomize`.</summary>
public static partial class Manifests
{
    /// <summary>The services' Deployments (and Compose services), by name.</summary>
    public static readonly string[] Services = [.. ServiceProject.All.Select(p => p.Deployment)];

    /// <summary>
    /// The case board's Deployment (and Compose service), project Rrm.Board: built from deploy/Dockerfile like the
    /// services but none of them (no database, no broker, no gRPC health), so not in <see cref="Services"/>.
    /// </summary>
    public const string Board = "board";

    /// <summary>What deploy/Dockerfile builds and the manifests deploy, each as its own image rrm/&lt;name&gt;: the services and the board.</summary>
    public static readonly string[] Deployables = [.. Services, Board];

    public static async Task<(int ExitCode, string Output, string Error)> RenderRawAsync(string k8s, string overlay) =>
        await Command.RunAsync("kubectl", ["kustomize", Path.Combine(k8s, "overlays", overlay)]);

    public static async Task<List<K8sObject>> RenderAsync(string k8s, string overlay)
    {
        var render = await RenderRawAsync(k8s, overlay);
        Assert.True(render.ExitCode == 0, render.Error);
        var stream = new YamlStream();
        stream.Load(new StringReader(render.Output));
        return stream.Documents.Select(d => new K8sObject((YamlMappingNode)d.RootNode)).ToList();
    }

    /// <summary>The repository's k8s/ rendered for an overlay.</summary>
    public static Task<List<K8sObject>> RenderAsync(string overlay) => RenderAsync(Path.Combine(Repository.Root, "k8s"), overlay);

    /// <summary>The service Deployments of rendered manifests, one per service.</summary>
    public static IEnumerable<K8sObject> ServiceDeployments(IEnumerable<K8sObject> objects) =>
        objects.Where(o => o.Kind == "Deployment" && o.Label("app.kubernetes.io/component") == "service");

    /// <summary>The Deployments of everything built from deploy/Dockerfile: the services' and the board's.</summary>
    public static IEnumerable<K8sObject> DeployableDeployments(IEnumerable<K8sObject> objects) =>
        objects.Where(o => o.Kind == "Deployment" && Deployables.Contains(o.Name));

    /// <summary>What `kustomize edit set image NAME=NEWNAME:TAG` does to a kustomization file (no kustomize binary here).</summary>
    public static void SetImage(string kustomizationFile, string name, string newName, string newTag)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(kustomizationFile)) stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (!root.Children.TryGetValue(new YamlScalarNode("images"), out var node))
            root.Add("images", node = new YamlSequenceNode());
        var images = (YamlSequenceNode)node;
        var entry = images.Children.OfType<YamlMappingNode>().FirstOrDefault(e => $"{e[new YamlScalarNode("name")]}" == name);
        if (entry is null) images.Add(entry = new YamlMappingNode { { "name", name } });
        entry.Children.Remove(new YamlScalarNode("digest"));
        if (newName != name) entry.Children[new YamlScalarNode("newName")] = new YamlScalarNode(newName);
        entry.Children[new YamlScalarNode("newTag")] = new YamlScalarNode(newTag);
        using var writer = new StreamWriter(kustomizationFile);
        stream.Save(writer, assignAnchors: false);
    }

    /// <summary>Renders an overlay and runs tools/node/check-k8s.js over it; a failed render is the result.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> CheckAsync(string k8s, string overlay)
    {
        var render = await RenderRawAsync(k8s, overlay);
        if (render.ExitCode != 0) return render;
        return await Command.RunAsync("node", ["check-k8s.js"], input: render.Output, workingDirectory: NodeTool.Directory);
    }

    /// <summary>
    /// A container's environment as the kubelet makes it: envFrom first (later sources win), then env in order, each
    /// value's $(VAR) expanded from what is defined so far (an undefined one stays as written). Secrets read "secret".
    /// </summary>
    public static Dictionary<string, string> Environment(List<K8sObject> objects, YamlMappingNode container)
    {
        Dictionary<string, string> ConfigMap(string name) => objects.Single(o => o.Kind == "ConfigMap" && o.Name == name).Data();
        var environment = new Dictionary<string, string>();
        foreach (var source in Yaml.Seq(container, "envFrom"))
            if (Yaml.Str(source, "configMapRef.name") is { Length: > 0 } name)
                foreach (var (key, value) in ConfigMap(name)) environment[key] = value;
        foreach (var variable in Yaml.Seq(container, "env"))
        {
            var name = Yaml.Str(variable, "name");
            if (Yaml.Find(variable, "valueFrom.configMapKeyRef") is { } reference)
                environment[name] = ConfigMap(Yaml.Str(reference, "name")).GetValueOrDefault(Yaml.Str(reference, "key"), "");
            else if (Yaml.Find(variable, "valueFrom") is not null)
                environment[name] = "secret";
            else
                environment[name] = Reference().Replace(Yaml.Str(variable, "value"), m => environment.GetValueOrDefault(m.Groups[1].Value, m.Value));
        }
        return environment;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();

    /// <summary>A copy of k8s/ to break, removed when disposed.</summary>
    public static TemporaryDirectory Copy()
    {
        var copy = new TemporaryDirectory();
        var source = Path.Combine(Repository.Root, "k8s");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    /// <summary>Breaks <paramref name="file"/> of a <see cref="Copy"/>: <paramref name="find"/>, which must be there, becomes <paramref name="replace"/>.</summary>
    public static async Task ReplaceAsync(TemporaryDirectory copy, string file, string find, string replace)
    {
        var path = Path.Combine(copy.Path, file);
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains(find, text);
        await File.WriteAllTextAsync(path, text.Replace(find, replace));
    }
}

/// <summary>One rendered object.</summary>
public sealed class K8sObject(YamlMappingNode root)
{
    public string ApiVersion => Str("apiVersion");
    public string Kind => Str("kind");
    public string Name => Str("metadata.name");

    public string Str(string path) => Find(path) is YamlScalarNode { Value: { } value } ? value : "";

    public string Str(string path, string key) => Yaml.Str(root, path, key);

    public int Int(string path) => int.Parse(Str(path));

    public YamlNode? Find(string path) => Yaml.Find(root, path);

    public YamlMappingNode? Map(string path) => Find(path) as YamlMappingNode;

    public IEnumerable<YamlNode> Seq(string path) => Find(path) is YamlSequenceNode seq ? seq.Children : [];

    /// <summary>A ConfigMap's data.</summary>
    public Dictionary<string, string> Data() =>
        Map("data")?.Children.ToDictionary(kv => $"{kv.Key}", kv => $"{kv.Value}") ?? [];

    /// <summary>The pod template's containers (init containers first), by name.</summary>
    public IEnumerable<YamlMappingNode> Containers(string podSpecPath = "spec.template.spec") =>
        Seq(podSpecPath + ".initContainers").Concat(Seq(podSpecPath + ".containers")).OfType<YamlMappingNode>();

    public YamlMappingNode Container(string name) => Containers().Single(c => Yaml.Str(c, "name") == name);

    public string Label(string name) =>
        Find("metadata.labels") is YamlMappingNode labels && labels.Children.TryGetValue(new YamlScalarNode(name), out var value) ? $"{value}" : "";

    /// <summary>The names of the environment variables of the pod's containers and init containers.</summary>
    public IEnumerable<string> EnvironmentNames() =>
        new[] { "spec.template.spec.containers", "spec.template.spec.initContainers" }
            .SelectMany(path => Find(path) is YamlSequenceNode containers ? containers.Children.OfType<YamlMappingNode>() : [])
            .SelectMany(c => c.Children.TryGetValue(new YamlScalarNode("env"), out var env) && env is YamlSequenceNode list ? list.Children.OfType<YamlMappingNode>() : [])
            .Select(e => $"{e[new YamlScalarNode("name")]}");

    public string Text() => new SerializerBuilder().Build().Serialize(root);
}

/// <summary>Reading parsed YAML by dotted paths.</summary>
public static class Yaml
{
    public static YamlNode? Find(YamlNode? node, string path)
    {
        foreach (var key in path.Split('.'))
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        return node;
    }

    public static string Str(YamlNode? node, string path) => Find(node, path) is YamlScalarNode { Value: { } value } ? value : "";

    /// <summary>The value of a key with dots in it (a label's name) in the mapping at path.</summary>
    public static string Str(YamlNode? node, string path, string key) =>
        Find(node, path) is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text } ? text : "";

    public static IEnumerable<YamlNode> Seq(YamlNode? node, string path) => Find(node, path) is YamlSequenceNode seq ? seq.Children : [];

    public static YamlMappingNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}

public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rrm-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
