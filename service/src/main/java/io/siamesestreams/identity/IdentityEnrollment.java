package io.siamesestreams.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.siamesestreams.faces.detect.FaceBox;
import java.util.List;

/**
 * An enrolment request, the value of the compacted {@code identities} topic (key: the identity id;
 * a tombstone erases the identity). JSON schema: {@code topics/schemas/identity.schema.json}.
 *
 * @param identityId the identity; must equal the record key when present
 * @param displayName a name for people, free text
 * @param images base64 of PNG or JPEG images of the identity (at least one decodable image)
 * @param faceBoxes face models only, optional: where the face is in each image (same order; a null
 *     entry or list lets the service find the face)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentityEnrollment(
    String identityId, String displayName, List<String> images, List<FaceBox> faceBoxes) {

  /** An enrolment without face boxes. */
  public IdentityEnrollment(String identityId, String displayName, List<String> images) {
    this(identityId, displayName, images, null);
  }
}
