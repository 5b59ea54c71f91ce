package io.siamesestreams.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.siamesestreams.records.JsonSerde;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.FaceModelFixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures {@code POST /api/v1/verify} end to end over HTTP (JSON, base64, decoding, the encoder, the
 * gallery, the decision) on the shipped Fashion-MNIST bundle and on the face bundle converted from
 * face-api's weights: {@link #CALLS} sequential calls after {@link #WARM_UP} warm-up calls, printing
 * p50/p99/max in ms (docs/BENCHMARKS.md). Every call must answer MATCH; the figures are printed, not
 * asserted.
 */
class VerifyLatencyIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  /** Calls measured: 1,000 for the figures in docs/BENCHMARKS.md ({@code -Dsiamese.latency.calls=1000}); 100 in the suite. */
  static final int CALLS = Integer.getInteger("siamese.latency.calls", 100);
  static final int WARM_UP = Math.max(10, CALLS / 10);
  private static final ObjectMapper JSON = JsonSerde.mapper();

  @TempDir
  Path workDir;

  @Test
  void shouldPrintVerifyLatencyOnTheFashionMnistBundle() throws Exception {
    try (ServiceWithApi app = ServiceWithApi.start(KAFKA.bootstrapServers(), FashionMnistSamples.BUNDLE, "lat-fm-",
        workDir)) {
      enrolAndAwait(app, "trousers", Map.of("images", List.of(b64(FashionMnistSamples.png(FashionMnistSamples.TROUSER, 0)),
          b64(FashionMnistSamples.png(FashionMnistSamples.TROUSER, 1)))));
      String body = JSON.writeValueAsString(Map.of("identityId", "trousers",
          "image", b64(FashionMnistSamples.png(FashionMnistSamples.TROUSER, 5))));
      measure(app, "fashion-mnist (28x28 grey, D=64, head)", body);
    }
  }

  @Test
  void shouldPrintVerifyLatencyOnTheFaceBundle() throws Exception {
    Path faces = FaceModelFixtures.convert(workDir.resolve("faces"));
    try (ServiceWithApi app = ServiceWithApi.start(KAFKA.bootstrapServers(), faces, "lat-face-", workDir)) {
      String photo = b64(FaceModelFixtures.photoBytes("sample1.jpg"));
      // The best face of the photo, as the API finds it, is the person enrolled and verified.
      JsonNode found = JSON.readTree(app.json("POST", "/api/v1/identify", ServiceWithApi.OPERATOR_KEY,
          JSON.writeValueAsString(Map.of("image", photo))).body());
      JsonNode box = found.get("faceBox");
      int faceCount = found.get("faceCount").asInt();
      Map<String, Object> enrolment = new LinkedHashMap<>();
      enrolment.put("images", List.of(photo));
      enrolment.put("faceBoxes", List.of(box));
      enrolAndAwait(app, "person-1", enrolment);
      measure(app, "face, faceBox given (1 face: landmarks, alignment, ResNet)",
          JSON.writeValueAsString(Map.of("identityId", "person-1", "image", photo, "faceBox", box)));
      measure(app, "face, detection on a group photo (" + faceCount + " faces)",
          JSON.writeValueAsString(Map.of("identityId", "person-1", "image", photo)));
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static void enrolAndAwait(ServiceWithApi app, String id, Map<String, Object> enrolment) throws Exception {
    HttpResponse<String> put = app.json("PUT", "/api/v1/identities/" + id, ServiceWithApi.ENROLLER_KEY,
        JSON.writeValueAsString(enrolment));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (app.get("/api/v1/identities/" + id, ServiceWithApi.VIEWER_KEY).statusCode() != 200) {
      assertThat(System.nanoTime()).as(id + " embedded within 60 s").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static void measure(ServiceWithApi app, String label, String body) throws Exception {
    long[] nanos = new long[CALLS];
    for (int i = -WARM_UP; i < CALLS; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = app.json("POST", "/api/v1/verify", ServiceWithApi.OPERATOR_KEY, body);
      long elapsed = System.nanoTime() - start;
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).get("decision").asText()).isEqualTo("MATCH");
      if (i >= 0) {
        nanos[i] = elapsed;
      }
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "verify latency, %s: %d calls (after %d warm-up), p50 %.2f ms, p99 %.2f ms,"
            + " max %.2f ms, %d cores%n", label, CALLS, WARM_UP, nanos[CALLS / 2] / 1e6, nanos[CALLS * 99 / 100] / 1e6,
        nanos[CALLS - 1] / 1e6, Runtime.getRuntime().availableProcessors());
  }
}
