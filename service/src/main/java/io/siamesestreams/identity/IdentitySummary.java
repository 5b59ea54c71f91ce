package io.siamesestreams.identity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * What a gallery knows about one admitted identity, without its templates (the API's listing).
 *
 * @param identityId the identity
 * @param displayName the enrolment's display name, or null
 * @param templateCount templates admitted for it (≥ 1)
 * @param modelId the model that embedded the templates (the gallery's)
 * @param modelVersion its version
 * @param enrolledAt when the templates were computed from the latest enrolment, epoch milliseconds
 * @param thumbnailJpeg the JPEG of the first enrolment image ({@link Thumbnails}), or null; never in the
 *     summary's JSON (a viewer may list identities but not see their faces): see {@link #hasThumbnail()}
 */
public record IdentitySummary(
    String identityId, String displayName, int templateCount, String modelId, String modelVersion, long enrolledAt,
    @JsonIgnore byte[] thumbnailJpeg) {

  /** The summary of admitted templates; a thumbnail that is not base64 is left out (logged). */
  public static IdentitySummary of(String identityId, IdentityTemplates templates) {
    byte[] thumbnail = null;
    if (templates.thumbnail() != null) {
      try {
        thumbnail = Base64.getDecoder().decode(templates.thumbnail());
      } catch (IllegalArgumentException e) {
        LoggerFactory.getLogger(IdentitySummary.class).warn("gallery: identity {}: thumbnail is not base64 ({});"
            + " shown without one", identityId, e.getMessage());
      }
    }
    return new IdentitySummary(identityId, templates.displayName(), templates.templates().size(),
        templates.modelId(), templates.modelVersion(), templates.updatedAt(), thumbnail);
  }

  /** Whether the identity has a thumbnail ({@code GET /api/v1/identities/{id}/thumbnail}). */
  @JsonProperty("hasThumbnail")
  public boolean hasThumbnail() {
    return thumbnailJpeg != null;
  }

  /** The thumbnail's JPEG bytes, when there is one. */
  public Optional<byte[]> thumbnail() {
    return Optional.ofNullable(thumbnailJpeg);
  }
}
