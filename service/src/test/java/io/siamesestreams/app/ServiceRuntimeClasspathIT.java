package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service's runtime classpath ({@code target/lib}, what the Docker image ships) holds no broker,
 * no Scala, no BouncyCastle, no jvector and no test library: those stay with the tools, the tests and
 * the bench.
 */
class ServiceRuntimeClasspathIT {

  @Test
  void shouldShipNoBrokerScalaBouncyCastleJvectorOrTestLibraries() throws IOException {
    Path lib = Path.of(System.getProperty("siamese.build.directory", "target"), "lib");
    assertThat(lib).as("copy-dependencies runs in the package phase, before the *IT").isDirectory();
    List<String> jars;
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.map(path -> path.getFileName().toString()).sorted().toList();
    }
    assertThat(jars).as("the service's own dependencies are there").anyMatch(jar -> jar.startsWith("kafka-streams-"))
        .anyMatch(jar -> jar.startsWith("javalin-")).anyMatch(jar -> jar.startsWith("onnxruntime-"));
    assertThat(jars).noneMatch(jar -> jar.startsWith("kafka_2.") || jar.startsWith("kafka-server")
        || jar.startsWith("kafka-raft") || jar.startsWith("scala-") || jar.startsWith("bcp") || jar.startsWith("bcutil")
        || jar.contains("jvector") || jar.startsWith("selenium-") || jar.startsWith("junit-")
        || jar.startsWith("assertj-") || jar.startsWith("siamese-testkit") || jar.startsWith("siamese-broker"));
  }
}
