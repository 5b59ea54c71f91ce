package io.siamesestreams.identity;

/**
 * What a gallery knows about one admitted identity, without its templates (the API's listing).
 *
 * @param identityId the identity
 * @param displayName the enrolment's display name, or null
 * @param templateCount templates admitted for it (≥ 1)
 * @param modelId the model that embedded the templates (the gallery's)
 * @param modelVersion its version
 * @param enrolledAt when the templates were computed from the latest enrolment, epoch milliseconds
 */
public record IdentitySummary(
    String identityId, String displayName, int templateCount, String modelId, String modelVersion, long enrolledAt) {

  /** The summary of admitted templates. */
  public static IdentitySummary of(String identityId, IdentityTemplates templates) {
    return new IdentitySummary(identityId, templates.displayName(), templates.templates().size(),
        templates.modelId(), templates.modelVersion(), templates.updatedAt());
  }
}
