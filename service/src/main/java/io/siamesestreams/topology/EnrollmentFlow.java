package io.siamesestreams.topology;

import io.siamesestreams.identity.IdentityTemplates;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the {@link EnrollmentProcessor} forwards (record key: the identity id's UTF-8 bytes, or a dead
 * letter's original key bytes): an identity's new templates or its erasure to the {@code
 * identity-templates} sink ({@link #TEMPLATE_VALUES}), or a {@link FrameFlow.DeadLetter} to the
 * dead-letter sink shared with the frame path.
 */
public sealed interface EnrollmentFlow permits EnrollmentFlow.Enrolled, EnrollmentFlow.Erased, FrameFlow.DeadLetter {

  /** An identity enrolled (or re-enrolled) with these templates. */
  record Enrolled(IdentityTemplates templates) implements EnrollmentFlow {
    public Enrolled {
      Objects.requireNonNull(templates, "templates");
    }
  }

  /** An identity erased: a tombstone on {@code identity-templates}, so every gallery drops it. */
  record Erased(String identityId) implements EnrollmentFlow {}

  /** The templates sink's value serializer: the templates' JSON, or null (a tombstone) for an erasure. */
  Serializer<EnrollmentFlow> TEMPLATE_VALUES = (topic, flow) -> {
    if (flow instanceof Enrolled enrolled) {
      return Topics.TEMPLATES_SERDE.serializer().serialize(topic, enrolled.templates());
    }
    if (flow instanceof Erased) {
      return null;
    }
    throw new IllegalArgumentException("not a templates record: " + flow);
  };
}
