package io.siamesestreams.cli;

import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaOptions;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code siamese enroll}: enrol (or erase) an identity by writing to the {@code identities} topic. */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description = {
      "Enrols an identity: writes {identityId, displayName, images} to the identities topic (key: the id).",
      "The service embeds the images into templates. Re-enrolling replaces the templates; --erase writes a"
          + " tombstone that deletes the identity."
    })
public final class EnrollCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--identity", required = true, paramLabel = "ID", description = "Identity id (the record key).")
  String identity;

  @Option(names = "--name", paramLabel = "NAME", description = "Display name.")
  String name;

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--images", arity = "1..*", paramLabel = "FILE",
        description = "PNG/JPEG files or folders of them.")
    List<Path> images;

    @Option(names = "--erase", description = "Erase the identity (tombstone) instead of enrolling it.")
    boolean erase;
  }

  @Override
  public Integer call() throws Exception {
    Topics topics = kafka.topics();
    byte[] value = null;
    int imageCount = 0;
    if (!what.erase) {
      List<Path> files = ImageFiles.expand(what.images);
      List<String> images = files.stream().map(ImageFiles::read).map(Base64.getEncoder()::encodeToString).toList();
      imageCount = images.size();
      value = Topics.ENROLLMENT_SERDE.toBytes(new IdentityEnrollment(identity, name, images));
    }
    String topic = topics.identities().name();
    try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka.settings(), "siamese-enroll")) {
      RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, identity, value)).get(60, TimeUnit.SECONDS);
      System.out.println(
          (what.erase ? "erased " + identity : "enrolled " + identity + " with " + imageCount + " image(s)")
              + " → " + topic + "/" + metadata.partition() + "@" + metadata.offset());
    }
    return 0;
  }
}
