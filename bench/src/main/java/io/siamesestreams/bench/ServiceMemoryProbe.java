package io.siamesestreams.bench;

import io.siamesestreams.admin.TopicCatalog;
import io.siamesestreams.admin.TopicsApplier;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The service's resident memory with a gallery of N identities: enrols N random templates (one
 * each, the model's dimension) on private topics, starts {@code siamese run} as its own JVM (this
 * JVM's class path, {@code -Xmx} as given), waits until its {@code siamese_gallery_identities} gauge
 * reaches N, and reads the child's {@code VmRSS} and {@code VmHWM} from {@code /proc} (Linux only).
 */
public final class ServiceMemoryProbe {

  /**
   * @param identities gallery size reached
   * @param residentMb the child's resident set once the gallery was loaded, MiB
   * @param peakResidentMb the child's peak resident set, MiB
   * @param loadSeconds from process start until the gallery was complete
   */
  public record Result(int identities, double residentMb, double peakResidentMb, double loadSeconds) {}

  private ServiceMemoryProbe() {}

  public static Result measure(KafkaSettings kafka, Path modelDir, ModelManifest manifest, int identities,
      String prefix, int heapMb, Duration timeout, Consumer<String> progress) throws InterruptedException {
    Topics topics = Topics.prefixed(prefix + "memory-");
    try (Admin admin = Admin.create(kafka.forAdmin())) {
      List<TopicsApplier.Result> results =
          new TopicsApplier(admin, Duration.ofSeconds(30)).apply(TopicCatalog.bundled().renamed(topics).specs());
      if (!TopicsApplier.allConsistent(results)) {
        throw new IllegalStateException("memory probe topics differ from their definitions: " + results);
      }
    }
    writeTemplates(kafka, topics, manifest, identities);
    progress.accept("bench: memory: " + identities + " templates written; starting `siamese run` in its own JVM");
    Path work;
    try {
      work = Files.createTempDirectory("siamese-bench-memory-");
      Path config = work.resolve("service.properties");
      try (Writer out = Files.newBufferedWriter(config)) {
        out.write(Topics.FRAMES_CONFIG + "=" + topics.frames().name() + "\n");
        out.write(Topics.IDENTITIES_CONFIG + "=" + topics.identities().name() + "\n");
        out.write(Topics.IDENTITY_TEMPLATES_CONFIG + "=" + topics.identityTemplates().name() + "\n");
        out.write(Topics.MATCH_EVENTS_CONFIG + "=" + topics.matchEvents().name() + "\n");
        out.write(Topics.FRAMES_DLQ_CONFIG + "=" + topics.framesDlq().name() + "\n");
      }
      int port = freePort();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heapMb + "m", "-Dai.djl.offline=true"));
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
        // The probed service searches as this JVM does (the siamese script adds the module).
        command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.siamesestreams.app.ServiceCli", "run",
          "--bootstrap", kafka.bootstrapServers(), "--model", modelDir.toAbsolutePath().toString(),
          "--config", config.toString(), "--application-id", prefix + "memory-probe",
          "--state-dir", work.resolve("state").toString(), "--metrics-port", Integer.toString(port)));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile());
      long start = System.nanoTime();
      Process child = builder.start();
      try {
        long deadline = start + timeout.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int loaded = -1;
        while (loaded < identities) {
          if (!child.isAlive()) {
            throw new IllegalStateException("`siamese run` exited with " + child.exitValue() + "; see "
                + work.resolve("service.log"));
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("gallery at " + loaded + " of " + identities + " identities after "
                + timeout + "; see " + work.resolve("service.log"));
          }
          Thread.sleep(500);
          loaded = galleryGauge(http, port);
        }
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(2_000);
        double resident = procStatusMb(child.pid(), "VmRSS:");
        double peak = procStatusMb(child.pid(), "VmHWM:");
        stop(child);
        deleteRecursively(work);
        return new Result(loaded, resident, peak, loadSeconds);
      } finally {
        stop(child);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stop(Process child) throws InterruptedException {
    if (child.isAlive()) {
      child.destroy();
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Scratch files only.
    }
  }

  private static void writeTemplates(KafkaSettings kafka, Topics topics, ModelManifest manifest, int identities) {
    Random random = new Random(13);
    int dimension = manifest.output().dimension();
    try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "siamese-bench-memory")) {
      for (int i = 0; i < identities; i++) {
        float[] template = GallerySearchBench.randomUnitVector(random, dimension);
        String id = "memory-identity-" + i;
        producer.send(new ProducerRecord<>(topics.identityTemplates().name(), id, Topics.TEMPLATES_SERDE.toBytes(
            new IdentityTemplates(id, null, manifest.modelId(), manifest.modelVersion(), List.of(template),
                System.currentTimeMillis()))));
      }
      producer.flush();
    }
  }

  /** The {@code siamese_gallery_identities} value, or -1 while the metrics endpoint is not up. */
  private static int galleryGauge(HttpClient http, int port) throws InterruptedException {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      for (String line : response.body().split("\n")) {
        if (line.startsWith("siamese_gallery_identities")) {
          return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** A {@code /proc/<pid>/status} field in kB, as MiB. */
  static double procStatusMb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) / 1024.0;
      }
    }
    throw new IOException(field + " missing from /proc/" + pid + "/status");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
