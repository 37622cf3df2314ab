using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.GoldenImages;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.GoldenImages;

public sealed class ParentFollowerTests
{
    [Fact]
    public void Next_revision_follows_the_highest_ready_one_or_is_the_one_being_built()
    {
        Assert.Equal("r2", ParentFollower.NextRevision(new V1Alpha1GoldenImage.GoldenImageStatus()));
        Assert.Equal("r8", ParentFollower.NextRevision(new V1Alpha1GoldenImage.GoldenImageStatus
        {
            CurrentRevision = "r7",
            Revisions = [new GoldenImageRevision { Name = "r6", Ready = true }, new GoldenImageRevision { Name = "r7", Ready = true }],
        }));
        Assert.Equal("r3", ParentFollower.NextRevision(new V1Alpha1GoldenImage.GoldenImageStatus
        {
            CurrentRevision = "r2",
            Revisions = [new GoldenImageRevision { Name = "r2", Ready = true }, new GoldenImageRevision { Name = "r3", Ready = false }],
        }));
    }

    [Fact]
    public void Build_is_the_same_image_pinned_to_the_parent_revision_without_what_only_the_followed_image_does()
    {
        var child = new V1Alpha1GoldenImage
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team", Uid = "uid-web" },
            Spec = new V1Alpha1GoldenImage.GoldenImageSpec
            {
                Source = new GoldenImageSource { GoldenImage = new GoldenImageReference { Name = "base" } },
                Customize = new CustomizeSpec { Timezone = "UTC" },
                Seal = new SealSpec { Operations = ["machine-id"] },
                UpdatePolicy = new UpdatePolicy { FollowParent = true },
                Sharing = new SharingSpec { Namespaces = ["*"] },
                Snapshot = new SnapshotSpec(),
                Publish = new PublishSpec(),
            },
        };

        var build = ParentFollower.Build(child, "web-r2", "r5");

        Assert.Equal(("web-r2", "team"), (build.Metadata.Name, build.Metadata.NamespaceProperty));
        Assert.Equal("uid-web", Assert.Single(build.Metadata.OwnerReferences!).Uid);
        Assert.Equal("web", build.Metadata.Labels![ParentFollower.RevisionOfLabel]);
        Assert.Equal(("base", "r5"), (build.Spec.Source.GoldenImage!.Name, build.Spec.Source.GoldenImage.Revision));
        Assert.Equal("UTC", build.Spec.Customize!.Timezone);
        Assert.Equal(["machine-id"], build.Spec.Seal!.Operations!);
        Assert.Null(build.Spec.UpdatePolicy);
        Assert.Null(build.Spec.Sharing);
        Assert.Null(build.Spec.Snapshot);
        Assert.Null(build.Spec.Publish);
        Assert.Null(child.Spec.Source.GoldenImage.Revision); // the followed image itself is not touched
    }
}
