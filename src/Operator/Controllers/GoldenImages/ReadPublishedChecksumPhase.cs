using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Revisions;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Pending, for an http source without spec.source.http.checksum: reads the line for the image from
/// spec.updatePolicy.checksumUrl once, before anything is created, into status.publishedChecksum — the first download
/// (revision r1) is verified against it, as later revisions are against the file. A file that cannot be fetched is
/// retried like a download; one without a usable line for the image fails the image as a wrong checksum does.
/// A fixed checksum, when given, verifies r1 and the file is not read here.
/// </summary>
public sealed class ReadPublishedChecksumPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    /// <summary>Retryable: the checksum file could not be fetched (HTTP error, no answer, too large).</summary>
    public const string ChecksumFileUnavailable = "ChecksumFileUnavailable";

    /// <summary>Permanent: the checksum file has no usable line for the image, so the download cannot be verified.</summary>
    public const string ChecksumNotPublished = "ChecksumNotPublished";

    public GoldenImagePhase Phase => GoldenImagePhase.Pending;

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        var spec = context.Entity.Spec;
        if (context.Revision is not null || context.Status.PublishedChecksum is not null
            || spec.Source.Http is not { Checksum: null } http || spec.UpdatePolicy?.ChecksumUrl is not { } checksumUrl)
        {
            return PhaseOutcome.Done;
        }

        string? headers = null;
        if (http.SecretRef is { } secretRef)
        {
            // ValidateSourcePhase waited for it to exist; the same header rules as the update checks apply.
            var secret = await context.Client.GetAsync<V1Secret>(secretRef.Name, context.Namespace, cancellationToken).ConfigureAwait(false);
            if (secret is null)
            {
                return PhaseOutcome.Wait("SecretNotFound", $"Secret {context.Namespace}/{secretRef.Name} named by spec.source.http.secretRef does not exist",
                    TimeSpan.FromSeconds(context.Options.Clone.GoldenImagePollSeconds));
            }

            (headers, var problem) = HttpHeaderSecret.Render(secret);
            if (problem is not null)
            {
                return PhaseOutcome.Fail("InvalidSecret", $"Secret {secretRef.Name}: {problem}");
            }
        }

        try
        {
            context.Status.PublishedChecksum = await new SourceProbe(SourceProbe.SharedClient)
                .PublishedChecksumAsync(http, checksumUrl, headers, cancellationToken).ConfigureAwait(false);
            return PhaseOutcome.Done;
        }
        catch (SourceProbeException e)
        {
            return PhaseOutcome.Retry(ChecksumFileUnavailable,
                $"spec.updatePolicy.checksumUrl: {e.Message}; without spec.source.http.checksum the download is verified against that file, so nothing is imported before it is read");
        }
        catch (FormatException e)
        {
            return PhaseOutcome.Fail(ChecksumNotPublished,
                $"checksum file {checksumUrl}: {e.Message}: the download cannot be verified, so nothing was imported");
        }
    }
}
