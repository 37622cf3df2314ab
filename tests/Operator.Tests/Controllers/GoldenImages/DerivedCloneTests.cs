using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.GoldenImages;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.GoldenImages;

public sealed class DerivedCloneTests
{
    private const string ParentDigest = "sha256:8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4";
    private const string RootDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

    [Fact]
    public void Copy_pins_the_parent_revision_keeps_identity_for_the_seal_and_carries_the_layer()
    {
        var child = Child();
        child.Spec.Customize = new CustomizeSpec
        {
            Users = [new UserSpec { Name = "deploy" }],
            Files = [new FileSpec { Path = "/etc/layer", Content = "x" }],
            Timezone = "UTC",
        };
        child.Spec.Storage = new StorageSpec { StorageClassName = "fast", VolumeMode = VolumeMode.Block };

        var clone = DerivedClone.Build(child, "web-layer", Parent(), new ParentRevisionChoice("r3", ParentDigest, 1L << 30), 2L << 30);

        Assert.Equal(("web-layer", "team"), (clone.Metadata.Name, clone.Metadata.NamespaceProperty));
        Assert.Equal(("base", "images", "r3"), (clone.Spec.GoldenImage.Name, clone.Spec.GoldenImage.Namespace, clone.Spec.GoldenImage.Revision));
        Assert.Equal("uid-web", Assert.Single(clone.Metadata.OwnerReferences!).Uid);
        Assert.Equal(2L << 30, clone.Spec.Target!.Size!.IntValue);
        Assert.Equal(("fast", VolumeMode.Block), (clone.Spec.Target.StorageClassName, clone.Spec.Target.VolumeMode));
        Assert.Equal(ReclaimPolicy.Delete, clone.Spec.ReclaimPolicy);
        Assert.Equal((RegeneratePolicy.Keep, RegeneratePolicy.Keep), (clone.Spec.Customize!.SshHostKeys, clone.Spec.Customize.MachineId));
        Assert.Null(clone.Spec.Customize.Hostname);
        Assert.Equal("deploy", Assert.Single(clone.Spec.Customize.Users!).Name);
        Assert.Equal("/etc/layer", Assert.Single(clone.Spec.Customize.Files!).Path);
        Assert.Equal("UTC", clone.Spec.Customize.Timezone);
    }

    [Fact]
    public void Copy_keeps_the_parent_size_when_no_larger_size_is_asked()
    {
        var clone = DerivedClone.Build(Child(), "web-layer", Parent(), new ParentRevisionChoice(null, ParentDigest, 1L << 30), 1L << 30);

        Assert.Null(clone.Spec.Target!.Size);
        Assert.Null(clone.Spec.GoldenImage.Revision);
    }

    [Fact]
    public void Chain_is_the_parent_then_its_own_ancestry()
    {
        var parent = Parent();
        parent.Status!.Parent = [new ParentRevision { Name = "debian", Namespace = "images", Revision = "r7", Digest = RootDigest }];

        var chain = DerivedClone.Chain(parent, new ParentRevisionChoice("r3", ParentDigest, 1L << 30));

        Assert.Equal([("base", "images", "r3", ParentDigest), ("debian", "images", "r7", RootDigest)], chain.Select(p => (p.Name, p.Namespace, p.Revision, p.Digest)));
    }

    [Fact]
    public void Pinned_revision_is_chosen_only_when_ready()
    {
        var parent = Parent();
        parent.Status!.CurrentRevision = "r3";
        parent.Status.Revisions =
        [
            new GoldenImageRevision { Name = "r2", Claim = "base-golden-r2", Digest = RootDigest, VirtualSize = 3, Ready = true },
            new GoldenImageRevision { Name = "r3", Claim = "base-golden-r3", Digest = ParentDigest, Ready = true },
            new GoldenImageRevision { Name = "r4", Claim = "base-golden-r4", Ready = false },
        ];

        Assert.Equal(new ParentRevisionChoice("r3", ParentDigest, 1L << 30), ParentRevisionChoice.Of(parent, null));
        Assert.Equal(new ParentRevisionChoice("r2", RootDigest, 3), ParentRevisionChoice.Of(parent, "r2"));
        Assert.Null(ParentRevisionChoice.Of(parent, "r4"));
        Assert.Null(ParentRevisionChoice.Of(parent, "r9"));
    }

    [Fact]
    public void Parent_moved_compares_revisions_and_without_them_digests()
    {
        var parent = Parent();

        Assert.False(ParentRevisionChoice.Moved(parent, new ParentRevision { Name = "base", Namespace = "images", Digest = ParentDigest }));
        Assert.True(ParentRevisionChoice.Moved(parent, new ParentRevision { Name = "base", Namespace = "images", Digest = RootDigest }));
        parent.Status!.CurrentRevision = "r2";
        Assert.False(ParentRevisionChoice.Moved(parent, new ParentRevision { Name = "base", Namespace = "images", Revision = "r2", Digest = RootDigest }));
        Assert.True(ParentRevisionChoice.Moved(parent, new ParentRevision { Name = "base", Namespace = "images", Revision = "r1", Digest = ParentDigest }));
        parent.Status.Phase = GoldenImagePhase.Importing;
        Assert.False(ParentRevisionChoice.Moved(parent, new ParentRevision { Name = "base", Namespace = "images", Revision = "r1" }));
    }

    private static V1Alpha1GoldenImage Child() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team", Uid = "uid-web" },
        Spec = new V1Alpha1GoldenImage.GoldenImageSpec { Source = new GoldenImageSource { GoldenImage = new GoldenImageReference { Name = "base", Namespace = "images" } } },
    };

    private static V1Alpha1GoldenImage Parent() => new()
    {
        Metadata = new V1ObjectMeta { Name = "base", NamespaceProperty = "images", Uid = "uid-base" },
        Status = new V1Alpha1GoldenImage.GoldenImageStatus { Phase = GoldenImagePhase.Ready, Digest = ParentDigest, VirtualSize = 1L << 30 },
    };
}
