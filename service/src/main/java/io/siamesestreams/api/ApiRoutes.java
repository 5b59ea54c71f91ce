package io.siamesestreams.api;

import io.siamesestreams.faces.detect.FaceBox;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.MatchEventFeed;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.GalleryView;
import io.siamesestreams.identity.IdentitySummary;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.records.JsonSerde;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API under {@value #BASE} and the web console at {@code /}, installed on the process's
 * {@link MetricsServer}. Reads come from this instance's gallery ({@link GalleryView}); writes go
 * through Kafka ({@link IdentityWriter}: enrolments and tombstones on {@code identities}); verify and
 * identify run in-process ({@link OnDemandMatcher}) and write nothing. Every request but the OpenAPI
 * document needs {@code Authorization: Bearer <key>} of a key in {@link ApiKeys} whose {@link Role}
 * allows it (401 without a known key, 403 with too small a role); every 4xx and 5xx is a
 * {@link Problem}. No CORS headers are sent: the console is served from the same origin.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>method and path</th><th>role</th><th>answer</th></tr>
 *   <tr><td>GET /api/v1/openapi.json</td><td>none</td><td>the OpenAPI 3.1 document</td></tr>
 *   <tr><td>GET /api/v1/me</td><td>viewer</td><td>the key's name and role</td></tr>
 *   <tr><td>GET /api/v1/identities?offset&amp;limit&amp;q</td><td>viewer</td><td>a page of the gallery</td></tr>
 *   <tr><td>GET /api/v1/identities/{id}</td><td>viewer</td><td>one identity, or 404</td></tr>
 *   <tr><td>GET /api/v1/identities/{id}/thumbnail</td><td>operator</td><td>the first enrolment image's
 *       thumbnail (image/jpeg), or 404</td></tr>
 *   <tr><td>PUT /api/v1/identities/{id}</td><td>enroller</td><td>202 with the record's offset</td></tr>
 *   <tr><td>DELETE /api/v1/identities/{id}</td><td>enroller</td><td>202 with the tombstone's offset</td></tr>
 *   <tr><td>POST /api/v1/verify, /api/v1/identify</td><td>operator</td><td>a match event</td></tr>
 *   <tr><td>GET /api/v1/events[?all=true]</td><td>viewer</td><td>Server-Sent Events of match events</td></tr>
 * </table>
 */
public final class ApiRoutes implements MetricsServer.Routes, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  public static final String BASE = "/api/v1";
  /** Event streams open at once, at most (each holds a request thread). */
  static final int MAX_EVENT_STREAMS = 8;
  private static final int MAX_PAGE = 500;
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final String KEY_ATTRIBUTE = "siamese.api.key";

  private final ApiKeys keys;
  private final GalleryView gallery;
  private final OnDemandMatcher matcher;
  private final IdentityWriter writer;
  private final MatchEventFeed feed;
  private final Supplier<Consumer<String, byte[]>> committedEvents;
  private final String matchEventsTopic;
  private final int maxRecordBytes;
  private final ObjectMapper json = JsonSerde.mapper();
  private final AtomicInteger openStreams = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param keys the API keys
   * @param gallery this instance's gallery
   * @param matcher verify/identify on demand
   * @param writer the writer to {@code identities} (owned from here on: closed by {@link #close()})
   * @param feed the match events this instance produces
   * @param committedEvents a new {@code read_committed} consumer of {@code matchEventsTopic}, in no group
   *     ({@code ?all=true}); the stream closes it
   * @param matchEventsTopic the {@code match-events} topic
   * @param maxRecordBytes the stream's limit on a frame or enrolment record
   */
  public ApiRoutes(ApiKeys keys, GalleryView gallery, OnDemandMatcher matcher, IdentityWriter writer,
      MatchEventFeed feed, Supplier<Consumer<String, byte[]>> committedEvents, String matchEventsTopic,
      int maxRecordBytes) {
    this.keys = keys;
    this.gallery = gallery;
    this.matcher = matcher;
    this.writer = writer;
    this.feed = feed;
    this.committedEvents = committedEvents;
    this.matchEventsTopic = matchEventsTopic;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Without {@code --api-keys}: every {@value #BASE} path answers 404 with a problem saying so. */
  public static MetricsServer.Routes disabled() {
    return new MetricsServer.Routes() {
      @Override
      public boolean handle(HttpResponseException e, Context ctx) {
        if (!ctx.path().startsWith("/api/")) {
          return false;
        }
        problem(ctx, new ApiException(404, "API_OFF", "API off",
            "the HTTP API is off: start siamese run with --api-keys FILE"));
        return true;
      }
    };
  }

  @Override
  public void configure(JavalinConfig config) {
    config.jsonMapper(new JavalinJackson(JsonSerde.mapper(), false));
    // Bodies up to the stream's record limit, base64 and JSON around it included.
    config.http.maxRequestSize = 2L * maxRecordBytes + 64 * 1024;
    config.jetty.multipartConfig.maxFileSize(maxRecordBytes, SizeUnit.BYTES);
    config.jetty.multipartConfig.maxTotalRequestSize(2L * maxRecordBytes + 64 * 1024, SizeUnit.BYTES);
    config.jetty.multipartConfig.maxInMemoryFileSize(maxRecordBytes, SizeUnit.BYTES);
    config.staticFiles.add(files -> {
      files.hostedPath = "/";
      files.directory = "/console";
      files.location = Location.CLASSPATH;
      files.headers = Map.of(
          "Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:",
          "X-Content-Type-Options", "nosniff",
          "Cache-Control", "no-cache");
    });
  }

  @Override
  public void install(Javalin app) {
    app.beforeMatched(BASE + "/*", this::authorise);
    app.get(BASE + "/openapi.json", ctx -> {
      try (InputStream document = ApiRoutes.class.getResourceAsStream("/api/openapi.json")) {
        ctx.contentType("application/json").result(document.readAllBytes());
      }
    });
    app.get(BASE + "/me", ctx -> {
      ApiKeys.Key key = ctx.attribute(KEY_ATTRIBUTE);
      ctx.json(Map.of("name", key.name(), "role", key.role().label()));
    }, Role.VIEWER);
    app.get(BASE + "/identities", this::listIdentities, Role.VIEWER);
    app.get(BASE + "/identities/{id}", this::getIdentity, Role.VIEWER);
    app.get(BASE + "/identities/{id}/thumbnail", this::thumbnail, Role.OPERATOR);
    app.put(BASE + "/identities/{id}", this::enrol, Role.ENROLLER);
    app.delete(BASE + "/identities/{id}", this::erase, Role.ENROLLER);
    app.post(BASE + "/verify", ctx -> onDemand(ctx, true), Role.OPERATOR);
    app.post(BASE + "/identify", ctx -> onDemand(ctx, false), Role.OPERATOR);
    app.sse(BASE + "/events", this::streamEvents, Role.VIEWER);
    app.exception(ApiException.class, (e, ctx) -> problem(ctx, e));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("api: {} {} failed", ctx.method(), ctx.path(), e);
      problem(ctx, new ApiException(500, "INTERNAL_ERROR", "Internal error", "the request failed; see the log"));
    });
  }

  @Override
  public boolean handle(HttpResponseException e, Context ctx) {
    if (!ctx.path().startsWith("/api/")) {
      return false;
    }
    String code = switch (e.getStatus()) {
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 413 -> DeadLetters.RECORD_TOO_LARGE;
      default -> "HTTP_" + e.getStatus();
    };
    problem(ctx, new ApiException(e.getStatus(), code, e.getMessage(), e.getMessage() + ": " + ctx.method() + " "
        + ctx.path()));
    return true;
  }

  private void authorise(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty()) {
      return;
    }
    String header = ctx.header("Authorization");
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).strip() : null;
    Optional<ApiKeys.Key> key = keys.authenticate(presented);
    if (key.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"siamese-streams\"");
      throw new ApiException(401, "UNAUTHORIZED", "Unauthorized", presented == null
          ? "send Authorization: Bearer <API key>" : "the API key is not one of --api-keys");
    }
    Role needed = (Role) roles.iterator().next();
    if (!key.get().role().includes(needed)) {
      throw new ApiException(403, "FORBIDDEN", "Forbidden", "key " + key.get().name() + " has role "
          + key.get().role().label() + "; " + ctx.method() + " " + ctx.matchedPath() + " needs " + needed.label());
    }
    ctx.attribute(KEY_ATTRIBUTE, key.get());
  }

  private void listIdentities(Context ctx) {
    int offset = intParameter(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParameter(ctx, "limit", 50, 1, MAX_PAGE);
    String query = ctx.queryParam("q");
    List<IdentitySummary> all = gallery.identities();
    if (query != null && !query.isBlank()) {
      String needle = query.toLowerCase(Locale.ROOT);
      all = all.stream().filter(identity -> identity.identityId().toLowerCase(Locale.ROOT).contains(needle)
          || (identity.displayName() != null && identity.displayName().toLowerCase(Locale.ROOT).contains(needle)))
          .toList();
    }
    List<IdentitySummary> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
    ObjectNode body = json.createObjectNode();
    body.put("total", all.size()).put("offset", offset).put("limit", limit)
        .put("modelId", gallery.modelId()).put("modelVersion", gallery.modelVersion());
    body.set("items", json.valueToTree(page));
    ctx.json(body);
  }

  private void getIdentity(Context ctx) {
    ctx.json(knownIdentity(identityId(ctx)));
  }

  private void thumbnail(Context ctx) {
    String id = identityId(ctx);
    byte[] jpeg = knownIdentity(id).thumbnail().orElseThrow(() -> new ApiException(404, "NO_THUMBNAIL",
        "No thumbnail", "identity " + id + " has no thumbnail (enrolled before thumbnails existed, or its first"
            + " image could not be re-read)"));
    // A face is personal data: no cache may keep it past an erasure.
    ctx.header("Cache-Control", "no-store").contentType("image/jpeg").result(jpeg);
  }

  private IdentitySummary knownIdentity(String id) {
    return gallery.identity(id).orElseThrow(() -> new ApiException(404, "UNKNOWN_IDENTITY", "Unknown identity",
        "identity " + id + " is not in this instance's gallery (an enrolment shows here once the service has"
            + " embedded it)"));
  }

  private void enrol(Context ctx) throws IOException {
    String id = identityId(ctx);
    String displayName;
    List<byte[]> images = new ArrayList<>();
    List<FaceBox> faceBoxes = null;
    if (isMultipart(ctx)) {
      displayName = ctx.formParam("displayName");
      for (UploadedFile file : ctx.uploadedFiles("images")) {
        try (InputStream content = file.content()) {
          images.add(content.readAllBytes());
        }
      }
    } else {
      JsonNode body = jsonBody(ctx);
      JsonNode bodyId = body.get("identityId");
      if (bodyId != null && !bodyId.isNull() && !id.equals(bodyId.asText())) {
        throw ApiException.invalidInput(DeadLetters.KEY_MISMATCH, "identityId " + bodyId.asText()
            + " in the body differs from " + id + " in the path");
      }
      displayName = body.hasNonNull("displayName") ? body.get("displayName").asText() : null;
      JsonNode list = body.get("images");
      if (list == null || !list.isArray()) {
        throw ApiException.invalidInput(DeadLetters.missingField("images"), "images must be an array of base64 strings");
      }
      for (int i = 0; i < list.size(); i++) {
        images.add(base64(list.get(i), "images[" + i + "]"));
      }
      if (body.hasNonNull("faceBoxes")) {
        try {
          faceBoxes = List.of(json.treeToValue(body.get("faceBoxes"), FaceBox[].class));
        } catch (JsonProcessingException e) {
          throw ApiException.invalidInput(DeadLetters.invalidField("faceBoxes"), "faceBoxes must be a list of"
              + " {x, y, width, height}: " + e.getOriginalMessage());
        }
      }
    }
    IdentityWriter.Written written = writer.enrol(id, displayName, images, faceBoxes);
    log.info("api: key {} enrolled {} ({} images) at {}-{}@{}", key(ctx), id, images.size(), written.topic(),
        written.partition(), written.offset());
    ctx.status(202).header("Location", BASE + "/identities/" + ctx.pathParam("id")).json(written);
  }

  private void erase(Context ctx) {
    String id = identityId(ctx);
    IdentityWriter.Written written = writer.erase(id);
    log.info("api: key {} erased {} at {}-{}@{}", key(ctx), id, written.topic(), written.partition(),
        written.offset());
    ctx.status(202).json(written);
  }

  private void onDemand(Context ctx, boolean verify) throws IOException {
    String identityId;
    String image;
    String cameraId;
    Integer topK;
    FaceBox faceBox = null;
    boolean aligned = false;
    if (isMultipart(ctx)) {
      identityId = ctx.formParam("identityId");
      aligned = "true".equalsIgnoreCase(ctx.formParam("aligned"));
      cameraId = ctx.formParam("cameraId");
      String k = ctx.formParam("topK");
      topK = k == null || k.isBlank() ? null : parseInt(k, "topK");
      UploadedFile file = ctx.uploadedFile("image");
      if (file == null) {
        image = null;
      } else {
        try (InputStream content = file.content()) {
          image = Base64.getEncoder().encodeToString(content.readAllBytes());
        }
      }
    } else {
      JsonNode body = jsonBody(ctx);
      identityId = body.hasNonNull("identityId") ? body.get("identityId").asText() : null;
      image = body.hasNonNull("image") && body.get("image").isTextual() ? body.get("image").asText() : null;
      cameraId = body.hasNonNull("cameraId") ? body.get("cameraId").asText() : null;
      topK = null;
      if (body.hasNonNull("topK")) {
        if (!body.get("topK").canConvertToInt() || !body.get("topK").isIntegralNumber()) {
          throw ApiException.invalidInput(DeadLetters.invalidField("topK"), "topK must be an integer");
        }
        topK = body.get("topK").asInt();
      }
      if (body.hasNonNull("faceBox")) {
        try {
          faceBox = json.treeToValue(body.get("faceBox"), FaceBox.class);
        } catch (JsonProcessingException e) {
          throw ApiException.invalidInput(DeadLetters.invalidField("faceBox"), "faceBox must be {x, y, width, height}: "
              + e.getOriginalMessage());
        }
      }
      if (body.hasNonNull("aligned")) {
        if (!body.get("aligned").isBoolean()) {
          throw ApiException.invalidInput(DeadLetters.invalidField("aligned"), "aligned must be true or false");
        }
        aligned = body.get("aligned").asBoolean();
      }
    }
    if (verify && (identityId == null || identityId.isBlank())) {
      throw ApiException.invalidInput(DeadLetters.missingField("identityId"), "verify needs the claimed identityId");
    }
    List<MatchEvent> events = matcher.match(new OnDemandMatcher.Request(verify ? identityId : null, image, cameraId,
        faceBox, aligned, verify ? null : topK));
    // The first event: the frame's only one, or its best face (faceIndex 0; faceCount tells how many).
    ctx.contentType("application/json").result(eventJson(events.get(0)));
  }

  private void streamEvents(SseClient client) {
    Context ctx = client.ctx();
    boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
    if (openStreams.incrementAndGet() > MAX_EVENT_STREAMS) {
      openStreams.decrementAndGet();
      client.sendEvent("error", "too many event streams open (" + MAX_EVENT_STREAMS + "); try again later");
      client.close();
      return;
    }
    log.info("api: key {} opened an event stream ({})", key(ctx), all ? "all of " + matchEventsTopic : "this instance");
    try {
      client.sendComment("siamese-streams match events" + (all ? " (all, read_committed)" : " (this instance)"));
      if (all) {
        streamCommitted(client);
      } else {
        streamLocal(client);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      openStreams.decrementAndGet();
      client.close();
    }
  }

  private void streamLocal(SseClient client) throws InterruptedException {
    BlockingQueue<MatchEvent> queue = new ArrayBlockingQueue<>(1024);
    // A full queue (a slow client) drops events rather than slowing the stream thread.
    try (MatchEventFeed.Subscription ignored = feed.subscribe(queue::offer)) {
      long lastSent = System.nanoTime();
      while (!client.terminated() && !closed) {
        MatchEvent event = queue.poll(500, TimeUnit.MILLISECONDS);
        if (event != null) {
          client.sendEvent("match", eventJson(event), event.frameId());
          lastSent = System.nanoTime();
        } else if (System.nanoTime() - lastSent > KEEP_ALIVE.toNanos()) {
          client.sendComment("keep-alive");
          lastSent = System.nanoTime();
        }
      }
    }
  }

  private void streamCommitted(SseClient client) {
    try (Consumer<String, byte[]> consumer = committedEvents.get()) {
      List<TopicPartition> partitions = consumer.partitionsFor(matchEventsTopic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      long lastSent = System.nanoTime();
      while (!client.terminated() && !closed) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null) {
            client.sendEvent("match", new String(record.value(), StandardCharsets.UTF_8),
                record.partition() + "-" + record.offset());
            lastSent = System.nanoTime();
          }
        }
        if (System.nanoTime() - lastSent > KEEP_ALIVE.toNanos()) {
          client.sendComment("keep-alive");
          lastSent = System.nanoTime();
        }
      }
    }
  }

  private static String eventJson(MatchEvent event) {
    return new String(Topics.MATCH_EVENT_SERDE.toBytes(event), StandardCharsets.UTF_8);
  }

  private static String key(Context ctx) {
    ApiKeys.Key key = ctx.attribute(KEY_ATTRIBUTE);
    return key == null ? "?" : key.name();
  }

  private static String identityId(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.isBlank() || id.length() > 256) {
      throw ApiException.invalidInput(DeadLetters.invalidField("identityId"), "identity ids are 1 to 256 characters");
    }
    return id;
  }

  private static boolean isMultipart(Context ctx) {
    String type = ctx.contentType();
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return true;
    }
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "send application/json or"
          + " multipart/form-data, not " + (type == null ? "no Content-Type" : type));
    }
    return false;
  }

  private JsonNode jsonBody(Context ctx) {
    JsonNode body;
    try {
      body = json.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw ApiException.invalidInput(DeadLetters.NOT_JSON, "the body is not JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (body == null || !body.isObject()) {
      throw ApiException.invalidInput(DeadLetters.NOT_JSON, "the body must be a JSON object");
    }
    return body;
  }

  private static byte[] base64(JsonNode node, String field) {
    if (node == null || !node.isTextual()) {
      throw ApiException.invalidInput(DeadLetters.invalidField(field), field + " must be a base64 string");
    }
    try {
      return Base64.getDecoder().decode(node.asText());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidInput(DeadLetters.INVALID_BASE64, field + " is not base64: " + e.getMessage());
    }
  }

  private static int intParameter(Context ctx, String name, int fallback, int min, int max) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    int parsed = parseInt(value, name);
    if (parsed < min || parsed > max) {
      throw ApiException.invalidInput(DeadLetters.invalidField(name), name + " must be " + min + " to " + max);
    }
    return parsed;
  }

  private static int parseInt(String value, String name) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw ApiException.invalidInput(DeadLetters.invalidField(name), name + " must be an integer, was " + value);
    }
  }

  private static void problem(Context ctx, ApiException e) {
    try {
      ctx.status(e.status()).contentType(Problem.CONTENT_TYPE)
          .result(JsonSerde.mapper().writeValueAsBytes(e.problem(ctx.path())));
    } catch (JsonProcessingException impossible) {
      throw new UncheckedIOException(impossible);
    }
  }

  /** Ends open event streams and closes the writer's producer. */
  @Override
  public void close() {
    closed = true;
    writer.close();
  }
}
