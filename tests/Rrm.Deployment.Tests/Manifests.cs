using Rrm.Testing;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Rrm.Deployment.Tests;

/// <summary>The Kubernetes manifests of a k8s/ directory, rendered by `kubectl kustomize`.</summary>
public static class Manifests
{
    public static readonly string[] Services = ["petition", "review", "tariff-liquidation", "notification"];

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

    /// <summary>Renders an overlay and runs tools/node/check-k8s.js over it; a failed render is the result.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> CheckAsync(string k8s, string overlay)
    {
        var render = await RenderRawAsync(k8s, overlay);
        if (render.ExitCode != 0) return render;
        return await Command.RunAsync("node", ["check-k8s.js"], input: render.Output, workingDirectory: NodeTool.Directory);
    }

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
}

/// <summary>One rendered object.</summary>
public sealed class K8sObject(YamlMappingNode root)
{
    public string ApiVersion => Str("apiVersion");
    public string Kind => Str("kind");
    public string Name => Str("metadata.name");

    public string Str(string path) => Find(path) is YamlScalarNode { Value: { } value } ? value : "";

    public int Int(string path) => int.Parse(Str(path));

    public YamlNode? Find(string path)
    {
        YamlNode? node = root;
        foreach (var key in path.Split('.'))
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        return node;
    }

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

public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rrm-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
