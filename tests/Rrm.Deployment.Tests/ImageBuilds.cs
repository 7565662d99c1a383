namespace Rrm.Deployment.Tests;

/// <summary>
/// The tests that build an image's publish from source (a fresh folder, nothing built yet): each takes minutes of CPU,
/// so they run one at a time, after the other tests, rather than all at once and past their time limits.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ImageBuilds
{
    public const string Name = "image builds";
}
