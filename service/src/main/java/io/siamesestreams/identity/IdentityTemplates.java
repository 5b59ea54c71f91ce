package io.siamesestreams.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The embeddings ("templates") of one identity, the value of the compacted
 * {@code identity-templates} topic (key: the identity id), written by the service and read back by
 * every instance into its gallery. JSON schema: {@code topics/schemas/identity-templates.schema.json}.
 *
 * <p>Templates are only ever compared with frames embedded by the same {@code modelId} and
 * {@code modelVersion}.
 *
 * @param identityId the identity
 * @param displayName the enrolment's display name, may be null
 * @param modelId the bundle's model id that produced the templates
 * @param modelVersion the bundle's model version that produced the templates
 * @param templates one D-dimensional embedding per enrolled image, at most the configured cap
 * @param updatedAt when the templates were computed, epoch milliseconds
 * @param thumbnail base64 of a small JPEG of the first embedded enrolment image ({@link Thumbnails}),
 *     or null (records written before thumbnails existed, or an image ImageIO could not re-read);
 *     left out of the JSON when null
 */
public record IdentityTemplates(
    String identityId,
    String displayName,
    String modelId,
    String modelVersion,
    List<float[]> templates,
    long updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String thumbnail) {

  /** Templates without a thumbnail. */
  public IdentityTemplates(String identityId, String displayName, String modelId, String modelVersion,
      List<float[]> templates, long updatedAt) {
    this(identityId, displayName, modelId, modelVersion, templates, updatedAt, null);
  }

  /** Embedding dimension D, or 0 when there are no templates. */
  public int dimension() {
    return templates == null || templates.isEmpty() ? 0 : templates.get(0).length;
  }

  /** Whether these templates were produced by the given model id and version. */
  public boolean producedBy(String otherModelId, String otherModelVersion) {
    return java.util.Objects.equals(modelId, otherModelId)
        && java.util.Objects.equals(modelVersion, otherModelVersion);
  }
}
