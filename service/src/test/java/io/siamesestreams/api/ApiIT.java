package io.siamesestreams.api;

import static io.siamesestreams.api.ServiceWithApi.ENROLLER_KEY;
import static io.siamesestreams.api.ServiceWithApi.OPERATOR_KEY;
import static io.siamesestreams.api.ServiceWithApi.VIEWER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.records.JsonSerde;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.topology.Topics;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API against a real broker and the real service with the shipped Fashion-MNIST bundle:
 * enrol, read, verify, identify, erase, the event stream, every refusal and the role checks.
 */
class ApiIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final ObjectMapper JSON = JsonSerde.mapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path workDir;
  static ServiceWithApi app;

  @BeforeAll
  static void start() {
    app = ServiceWithApi.start(KAFKA.bootstrapServers(), FashionMnistSamples.BUNDLE, "api-", workDir);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static JsonNode body(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static String enrolment(String displayName, byte[]... images) throws Exception {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("displayName", displayName);
    body.put("images", java.util.Arrays.stream(images).map(ApiIT::b64).toList());
    return JSON.writeValueAsString(body);
  }

  private static String verifyBody(String identityId, byte[] image) throws Exception {
    return JSON.writeValueAsString(Map.of("identityId", identityId, "image", b64(image)));
  }

  private static JsonNode awaitStatus(String path, int status) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> response;
    do {
      response = app.get(path, VIEWER_KEY);
      if (response.statusCode() == status) {
        return body(response);
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(path + " still answers " + response.statusCode() + " " + response.body());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
        assertThat(type).startsWith(Problem.CONTENT_TYPE));
    JsonNode problem = body(response);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("code").asText()).isEqualTo(code);
    assertThat(problem.get("type").asText()).startsWith("urn:siamese-streams:problem:");
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
    assertThat(problem.get("instance").asText()).startsWith("/api/v1/");
  }

  private static long matchEventsEndOffset() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      TopicPartition partition = new TopicPartition(app.topics.matchEvents().name(), 0);
      return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)
          .get(partition).offset();
    }
  }

  @Test
  void shouldEnrolShowVerifyIdentifyEraseAndThenAnswerUnknownIdentity() throws Exception {
    HttpResponse<String> put = app.json("PUT", "/api/v1/identities/trousers", ENROLLER_KEY,
        enrolment("Trousers", FashionMnistSamples.png(FashionMnistSamples.TROUSER, 0),
            FashionMnistSamples.png(FashionMnistSamples.TROUSER, 1),
            FashionMnistSamples.png(FashionMnistSamples.TROUSER, 2)));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
    assertThat(body(put).get("topic").asText()).isEqualTo(app.topics.identities().name());
    assertThat(body(put).get("offset").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(put.headers().firstValue("Location")).hasValue("/api/v1/identities/trousers");

    JsonNode identity = awaitStatus("/api/v1/identities/trousers", 200);
    assertThat(identity.get("displayName").asText()).isEqualTo("Trousers");
    assertThat(identity.get("templateCount").asInt()).isEqualTo(3);
    assertThat(identity.get("modelId").asText()).isEqualTo("fashion-mnist-siamese");
    assertThat(identity.get("enrolledAt").asLong()).isPositive();
    JsonNode page = body(app.get("/api/v1/identities?q=trous", VIEWER_KEY));
    assertThat(page.get("total").asInt()).isEqualTo(1);
    assertThat(page.get("items").get(0).get("identityId").asText()).isEqualTo("trousers");
    assertThat(body(app.get("/api/v1/identities?q=nobody", VIEWER_KEY)).get("total").asInt()).isZero();
    assertThat(identity.get("hasThumbnail").asBoolean()).isTrue();
    assertThat(page.get("items").get(0).has("thumbnail")).as("no image in the viewer's listing").isFalse();
    HttpResponse<byte[]> thumbnail = thumbnail("trousers", OPERATOR_KEY);
    assertThat(thumbnail.statusCode()).isEqualTo(200);
    assertThat(thumbnail.headers().firstValue("Content-Type").orElseThrow()).startsWith("image/jpeg");
    assertThat(thumbnail.headers().firstValue("Cache-Control")).hasValue("no-store");
    BufferedImage picture = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
    BufferedImage first = ImageIO.read(new ByteArrayInputStream(FashionMnistSamples.png(FashionMnistSamples.TROUSER, 0)));
    assertThat(picture.getWidth()).isEqualTo(first.getWidth());
    assertThat(picture.getHeight()).isEqualTo(first.getHeight());
    assertThat(thumbnail("trousers", ENROLLER_KEY).body()).isEqualTo(thumbnail.body());
    assertProblem(app.get("/api/v1/identities/trousers/thumbnail", VIEWER_KEY), 403, "FORBIDDEN");
    long endBefore = matchEventsEndOffset();

    HttpResponse<String> genuine = app.json("POST", "/api/v1/verify", OPERATOR_KEY,
        verifyBody("trousers", FashionMnistSamples.png(FashionMnistSamples.TROUSER, 5)));
    assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(200);
    JsonNode match = body(genuine);
    assertThat(match.get("decision").asText()).isEqualTo("MATCH");
    assertThat(match.get("mode").asText()).isEqualTo("VERIFY");
    assertThat(match.get("identityId").asText()).isEqualTo("trousers");
    assertThat(match.get("distance").asDouble()).isLessThanOrEqualTo(match.get("threshold").asDouble());
    assertThat(match.get("probability").asDouble()).isBetween(0.0, 1.0);
    assertThat(match.get("cameraId").asText()).isEqualTo(OnDemandMatcher.DEFAULT_CAMERA);

    Multipart form = new Multipart().field("identityId", "trousers")
        .file("image", "bag.png", "image/png", FashionMnistSamples.png(FashionMnistSamples.BAG, 0));
    HttpResponse<String> impostor = app.send(app.request("/api/v1/verify", OPERATOR_KEY)
        .header("Content-Type", form.contentType()).POST(form.publisher()).build());
    assertThat(impostor.statusCode()).as(impostor.body()).isEqualTo(200);
    assertThat(body(impostor).get("decision").asText()).isEqualTo("NO_MATCH");

    HttpResponse<String> identified = app.json("POST", "/api/v1/identify", OPERATOR_KEY,
        JSON.writeValueAsString(Map.of("image", b64(FashionMnistSamples.png(FashionMnistSamples.TROUSER, 6)),
            "topK", 3)));
    assertThat(identified.statusCode()).as(identified.body()).isEqualTo(200);
    assertThat(body(identified).get("mode").asText()).isEqualTo("IDENTIFY");
    assertThat(body(identified).get("identityId").asText()).isEqualTo("trousers");
    assertThat(body(identified).get("candidates")).hasSize(1);
    assertThat(matchEventsEndOffset()).as("verify and identify write nothing to match-events").isEqualTo(endBefore);

    HttpResponse<String> delete = app.send(app.request("/api/v1/identities/trousers", ENROLLER_KEY).DELETE().build());
    assertThat(delete.statusCode()).as(delete.body()).isEqualTo(202);
    assertThat(body(delete).get("offset").asLong()).isGreaterThan(body(put).get("offset").asLong());
    assertProblemEventually("/api/v1/identities/trousers");
    assertProblem(app.get("/api/v1/identities/trousers/thumbnail", OPERATOR_KEY), 404, "UNKNOWN_IDENTITY");
    JsonNode afterErasure = body(app.json("POST", "/api/v1/verify", OPERATOR_KEY,
        verifyBody("trousers", FashionMnistSamples.png(FashionMnistSamples.TROUSER, 5))));
    assertThat(afterErasure.get("decision").asText()).isEqualTo("UNKNOWN_IDENTITY");
    assertThat(afterErasure.hasNonNull("distance")).as("no distance to an unknown identity").isFalse();
  }

  private static HttpResponse<byte[]> thumbnail(String identityId, String key) throws Exception {
    return app.http.send(app.request("/api/v1/identities/" + identityId + "/thumbnail", key).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void shouldLoadTemplatesWrittenBeforeThumbnailsAndAnswerThatTheyHaveNone() throws Exception {
    assertThat(app.json("PUT", "/api/v1/identities/coat", ENROLLER_KEY,
        enrolment("Coat", FashionMnistSamples.png(FashionMnistSamples.COAT, 0))).statusCode()).isEqualTo(202);
    awaitStatus("/api/v1/identities/coat", 200);
    ConsumerRecord<String, byte[]> written = KafkaTestSupport.consume(KAFKA.bootstrapServers(),
        app.topics.identityTemplates().name(), new ByteArrayDeserializer(), 1, WAIT,
        record -> "coat".equals(record.key()) && record.value() != null).get(0);
    ObjectNode legacy = (ObjectNode) JSON.readTree(written.value());
    assertThat(legacy.remove("thumbnail")).as("the service writes a thumbnail").isNotNull();
    legacy.put("identityId", "old-coat");
    KafkaTestSupport.produce(KAFKA.bootstrapServers(), List.of(new ProducerRecord<>(
        app.topics.identityTemplates().name(), "old-coat", JSON.writeValueAsBytes(legacy))));

    JsonNode old = awaitStatus("/api/v1/identities/old-coat", 200);
    assertThat(old.get("templateCount").asInt()).isEqualTo(1);
    assertThat(old.get("hasThumbnail").asBoolean()).isFalse();
    assertProblem(app.get("/api/v1/identities/old-coat/thumbnail", OPERATOR_KEY), 404, "NO_THUMBNAIL");
    assertThat(thumbnail("coat", OPERATOR_KEY).statusCode()).isEqualTo(200);
  }

  private static void assertProblemEventually(String path) throws Exception {
    awaitStatus(path, 404);
    assertProblem(app.get(path, VIEWER_KEY), 404, "UNKNOWN_IDENTITY");
  }

  @Test
  void shouldStreamTheMatchEventsThisInstanceProduces() throws Exception {
    HttpResponse<String> put = app.json("PUT", "/api/v1/identities/sneakers", ENROLLER_KEY,
        enrolment("Sneakers", FashionMnistSamples.png(FashionMnistSamples.SNEAKER, 0),
            FashionMnistSamples.png(FashionMnistSamples.SNEAKER, 1)));
    assertThat(put.statusCode()).isEqualTo(202);
    awaitStatus("/api/v1/identities/sneakers", 200);
    HttpResponse<InputStream> local = openEvents("/api/v1/events");
    HttpResponse<InputStream> all = openEvents("/api/v1/events?all=true");
    CompletableFuture<String> fromLocal = firstMatchData(local);
    CompletableFuture<String> fromAll = firstMatchData(all);
    Thread.sleep(1000); // the subscription and the consumer's assignment are made when the streams open
    Frame frame = new Frame("sse-frame-1", "gate-2", System.currentTimeMillis(),
        b64(FashionMnistSamples.png(FashionMnistSamples.SNEAKER, 4)), "sneakers", null);
    KafkaTestSupport.produce(KAFKA.bootstrapServers(), List.of(new ProducerRecord<>(app.topics.frames().name(),
        "gate-2", Topics.FRAME_SERDE.toBytes(frame))));
    for (CompletableFuture<String> data : List.of(fromLocal, fromAll)) {
      JsonNode event = JSON.readTree(data.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertThat(event.get("frameId").asText()).isEqualTo("sse-frame-1");
      assertThat(event.get("decision").asText()).isEqualTo("MATCH");
      assertThat(event.get("cameraId").asText()).isEqualTo("gate-2");
    }
    local.body().close();
    all.body().close();
  }

  private static HttpResponse<InputStream> openEvents(String path) throws Exception {
    HttpResponse<InputStream> stream = app.http.send(app.request(path, VIEWER_KEY)
        .header("Accept", "text/event-stream").timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
    return stream;
  }

  /** The data of the stream's first {@code match} event. */
  private static CompletableFuture<String> firstMatchData(HttpResponse<InputStream> stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        boolean matchEvent = false;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.equals("event: match")) {
            matchEvent = true;
          } else if (matchEvent && line.startsWith("data:")) {
            return line.substring(5).strip();
          }
        }
        return null;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, runnable -> new Thread(runnable, "sse-reader").start());
  }

  @Test
  void shouldAnswerEveryRefusalWithAProblemBody() throws Exception {
    String image = b64(FashionMnistSamples.png(FashionMnistSamples.TROUSER, 3));
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY, "{not json"), 400, "NOT_JSON");
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY, "[1]"), 400, "NOT_JSON");
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY, "{\"identityId\":\"x\"}"), 400,
        "MISSING_FIELD:image");
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY, "{\"image\":\"" + image + "\"}"), 400,
        "MISSING_FIELD:identityId");
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY, "{\"identityId\":\"x\",\"image\":\"%%%\"}"), 400,
        "INVALID_BASE64");
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY, verifyBody("x", "not an image".getBytes())), 422,
        "UNDECODABLE_IMAGE");
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY,
        verifyBody("x", io.siamesestreams.testing.TestBundles.greyPng(40, 30))), 422, "WRONG_IMAGE_SIZE");
    assertProblem(app.json("POST", "/api/v1/identify", OPERATOR_KEY, "{\"image\":\"" + image + "\",\"topK\":0}"), 400,
        "INVALID_FIELD:topK");
    byte[] large = new byte[900 * 1024];
    new java.util.Random(7).nextBytes(large);
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY, verifyBody("x", large)), 413, "RECORD_TOO_LARGE");
    byte[] huge = new byte[2 * 1024 * 1024];
    assertProblem(app.json("POST", "/api/v1/verify", OPERATOR_KEY, verifyBody("x", huge)), 413, "RECORD_TOO_LARGE");
    assertProblem(app.send(app.request("/api/v1/verify", OPERATOR_KEY).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("hello")).build()), 415, "UNSUPPORTED_MEDIA_TYPE");

    assertProblem(app.json("PUT", "/api/v1/identities/nobody", ENROLLER_KEY, "{\"images\":[]}"), 400,
        "MISSING_FIELD:images");
    assertProblem(app.json("PUT", "/api/v1/identities/nobody", ENROLLER_KEY, "{\"displayName\":\"x\"}"), 400,
        "MISSING_FIELD:images");
    assertProblem(app.json("PUT", "/api/v1/identities/nobody", ENROLLER_KEY,
        "{\"identityId\":\"somebody\",\"images\":[\"" + image + "\"]}"), 400, "KEY_MISMATCH");
    assertProblem(app.json("PUT", "/api/v1/identities/nobody", ENROLLER_KEY,
        enrolment("x", "garbage".getBytes())), 422, "UNDECODABLE_IMAGE");
    assertProblem(app.get("/api/v1/identities/nobody", VIEWER_KEY), 404, "UNKNOWN_IDENTITY");
    assertProblem(app.get("/api/v1/identities?limit=0", VIEWER_KEY), 400, "INVALID_FIELD:limit");
    assertProblem(app.get("/api/v1/no-such-thing", VIEWER_KEY), 404, "NOT_FOUND");
    assertThat(app.get("/api/v1/identities/nobody", VIEWER_KEY).statusCode()).as("nothing was enrolled").isEqualTo(404);
  }

  @Test
  void shouldRequireAKeyWithARoleThatAllowsTheRequest() throws Exception {
    HttpResponse<String> noKey = app.get("/api/v1/identities", null);
    assertProblem(noKey, 401, "UNAUTHORIZED");
    assertThat(noKey.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
    assertProblem(app.get("/api/v1/identities", "not-a-key"), 401, "UNAUTHORIZED");
    assertProblem(app.send(app.request("/api/v1/identities", null).header("Authorization", "Basic dXNlcjpwYXNz")
        .GET().build()), 401, "UNAUTHORIZED");

    String verify = verifyBody("x", FashionMnistSamples.png(FashionMnistSamples.TROUSER, 3));
    String enrol = enrolment("x", FashionMnistSamples.png(FashionMnistSamples.TROUSER, 3));
    assertProblem(app.json("POST", "/api/v1/verify", VIEWER_KEY, verify), 403, "FORBIDDEN");
    assertProblem(app.json("POST", "/api/v1/identify", VIEWER_KEY, verify), 403, "FORBIDDEN");
    assertProblem(app.json("PUT", "/api/v1/identities/x", VIEWER_KEY, enrol), 403, "FORBIDDEN");
    assertProblem(app.json("PUT", "/api/v1/identities/x", OPERATOR_KEY, enrol), 403, "FORBIDDEN");
    assertProblem(app.send(app.request("/api/v1/identities/x", OPERATOR_KEY).DELETE().build()), 403, "FORBIDDEN");

    assertThat(app.get("/api/v1/identities", VIEWER_KEY).statusCode()).isEqualTo(200);
    assertThat(app.json("POST", "/api/v1/verify", OPERATOR_KEY, verify).statusCode()).isEqualTo(200);
    assertThat(app.json("POST", "/api/v1/verify", ENROLLER_KEY, verify).statusCode()).isEqualTo(200);
    JsonNode me = body(app.get("/api/v1/me", OPERATOR_KEY));
    assertThat(me.get("name").asText()).isEqualTo("front-desk");
    assertThat(me.get("role").asText()).isEqualTo("operator");
    assertThat(app.get("/api/v1/identities/x", VIEWER_KEY).statusCode()).as("no refused write went through")
        .isEqualTo(404);
  }

  @Test
  void shouldServeTheOpenApiDocumentTheProbesMetricsAndConsoleWithoutAKey() throws Exception {
    HttpResponse<String> openApi = app.get("/api/v1/openapi.json", null);
    assertThat(openApi.statusCode()).isEqualTo(200);
    JsonNode document = body(openApi);
    assertThat(document.get("openapi").asText()).startsWith("3.1");
    assertThat(document.get("paths").has("/identities/{id}")).isTrue();
    assertThat(document.get("paths").has("/verify")).isTrue();
    assertThat(document.get("paths").has("/identities/{id}/thumbnail")).isTrue();
    assertThat(app.get("/metrics", null).body()).contains("siamese_frames_consumed_total");
    assertThat(app.get("/ready", null).statusCode()).isEqualTo(200);
    assertThat(app.get("/live", null).statusCode()).isEqualTo(200);
    HttpResponse<String> console = app.get("/", null);
    assertThat(console.statusCode()).isEqualTo(200);
    assertThat(console.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(console.body()).contains("<title>Siamese Streams console</title>");
    assertThat(console.headers().firstValue("Access-Control-Allow-Origin")).as("CORS off").isEmpty();
  }
}
