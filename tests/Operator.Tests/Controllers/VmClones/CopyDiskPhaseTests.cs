using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.VmClones;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.VmClones;

public sealed class CopyDiskPhaseTests
{
    [Theory]
    [InlineData(VolumeMode.Filesystem)]
    [InlineData(VolumeMode.Block)]
    public void Copy_step_job_clones_the_golden_as_raw_bytes_whatever_its_first_sector_says(VolumeMode mode)
    {
        var golden = AgentDisk.Golden("golden-pvc", mode);
        var target = AgentDisk.Target("web-01", mode);
        var request = new AgentJobRequest
        {
            Owner = new V1Alpha1VmClone { Metadata = new V1ObjectMeta { Name = "web-01", NamespaceProperty = "vms", Uid = "uid-1" } },
            Step = AgentStep.Copy,
            Attempt = 1,
            Args = CopyDiskPhase.CopyArgs(golden.Path, target.Path),
            Disks = [golden, target],
        };

        var args = Assert.Single(AgentJobBuilder.Build(request, new AgentOptions()).Spec.Template.Spec!.Containers).Args!;

        Assert.Equal(["clone", golden.Path, target.Path], args.Take(3));
        var option = args.ToList().IndexOf("--source-format");
        Assert.True(option > 2, $"no --source-format in: {string.Join(' ', args)}");
        Assert.Equal("raw", args[option + 1]);
    }
}
