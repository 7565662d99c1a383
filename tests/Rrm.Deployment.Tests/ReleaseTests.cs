using System.Text.RegularExpressions;
using Rrm.Testing;

namespace Rrm.Deployment.Tests;

/// <summary>
/// A release as docs/operations.md ("Deploy") makes it: `kustomize edit set image` in the overlay, then apply. The
/// override must match the images the overlay renders, or the old version is deployed again without a word.
/// </summary>
public sealed partial class ReleaseTests
{
    [Fact]
    public async Task The_documented_image_override_deploys_the_new_version_of_every_service_its_migrations_and_the_board()
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "operations.md"));
        var step = DeployStep().Match(doc);
        Assert.True(step.Success, "docs/operations.md has no `(cd k8s/overlays/<overlay> && for n in …; do kustomize edit set image …` step");
        var overlay = step.Groups["overlay"].Value;
        var services = step.Groups["services"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Manifests.Deployables.Order(), services.Order());
        var (name, newName, tag) = (step.Groups["name"].Value, step.Groups["newName"].Value, step.Groups["tag"].Value);

        using var copy = Manifests.Copy();
        var kustomization = Path.Combine(copy.Path, "overlays", overlay, "kustomization.yaml");
        foreach (var service in services)
            Manifests.SetImage(kustomization, name.Replace("$n", service), newName.Replace("$n", service), tag);
        var rendered = await Manifests.RenderAsync(copy.Path, overlay);

        var before = await Manifests.RenderAsync(overlay);
        foreach (var service in Manifests.Deployables)
        {
            var deployment = rendered.Single(o => o.Kind == "Deployment" && o.Name == service);
            var expected = $"{newName.Replace("$n", service)}:{tag}";
            // Every container: a service's and its migrate init container, the board's one.
            Assert.Equal(service == Manifests.Board ? 1 : 2, deployment.Containers().Count());
            Assert.All(deployment.Containers(), c => Assert.Equal(expected, Yaml.Str(c, "image")));
            // Not the version the overlay deployed before: the override changed something.
            Assert.NotEqual(expected, Yaml.Str(before.Single(o => o.Kind == "Deployment" && o.Name == service).Containers().Last(), "image"));
        }
    }

    /// <summary>Both overlays key their images by the base's name, so the same override works in either.</summary>
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Each_overlay_names_its_images_by_the_name_the_base_gives_them(string overlay)
    {
        using var copy = Manifests.Copy();
        var kustomization = Path.Combine(copy.Path, "overlays", overlay, "kustomization.yaml");
        foreach (var service in Manifests.Deployables)
            Manifests.SetImage(kustomization, $"rrm/{service}", $"registry.example/{service}", "9.9.9");

        var rendered = await Manifests.RenderAsync(copy.Path, overlay);

        Assert.Equal(Manifests.Deployables.Order(), Manifests.DeployableDeployments(rendered).Select(d => d.Name).Order());
        var missed = Manifests.DeployableDeployments(rendered)
            .SelectMany(d => d.Containers().Select(c => $"{d.Name}/{Yaml.Str(c, "name")}: {Yaml.Str(c, "image")}"))
            .Where(image => !image.EndsWith($"registry.example/{image.Split('/')[0]}:9.9.9")).ToList();
        Assert.True(missed.Count == 0, $"not overridden:\n{string.Join("\n", missed)}");
    }

    [GeneratedRegex(@"\(cd k8s/overlays/(?<overlay>\w+) && for n in (?<services>[a-z -]+); do\s+kustomize edit set image (?<name>\S+)=(?<newName>[^\s:]+):(?<tag>[^\s;]+); done\)")]
    private static partial Regex DeployStep();
}
