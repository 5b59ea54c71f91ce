package io.siamesestreams.admin;

import io.siamesestreams.json.Json;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topic definitions of the {@code topics/} folder: one JSON file per topic role, named after the
 * role ({@code frames.json}, {@code identities.json}, {@code identity-templates.json}, {@code
 * match-events.json}, {@code frames-dlq.json}); see {@code topics/README.md}. The same files ship
 * inside the streams jar under {@code topics/}, so the tools work without a checkout.
 */
public final class TopicCatalog {

  /** The topic roles, in pipeline order; each is also the default topic name and the file stem. */
  public static final List<String> ROLES =
      List.of(
          Topics.DEFAULT_FRAMES,
          Topics.DEFAULT_IDENTITIES,
          Topics.DEFAULT_IDENTITY_TEMPLATES,
          Topics.DEFAULT_MATCH_EVENTS,
          Topics.DEFAULT_FRAMES_DLQ);

  private static final String RESOURCE_FOLDER = "topics/";

  private final Map<String, TopicSpec> specsByRole;
  private final String source;

  private TopicCatalog(Map<String, TopicSpec> specsByRole, String source) {
    this.specsByRole = Map.copyOf(specsByRole);
    this.source = source;
  }

  /** Reads {@code <role>.json} for every role from {@code directory}. */
  public static TopicCatalog load(Path directory) {
    Map<String, TopicSpec> specs = new LinkedHashMap<>();
    for (String role : ROLES) {
      Path file = directory.resolve(role + ".json");
      try (InputStream in = Files.newInputStream(file)) {
        specs.put(role, parse(in, file.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read topic definition " + file, e);
      }
    }
    return new TopicCatalog(specs, directory.toString());
  }

  /** The definitions packaged in the jar (a copy of the repository's {@code topics/}). */
  public static TopicCatalog bundled() {
    Map<String, TopicSpec> specs = new LinkedHashMap<>();
    for (String role : ROLES) {
      String resource = RESOURCE_FOLDER + role + ".json";
      try (InputStream in = TopicCatalog.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("topic definition " + resource + " is missing from the classpath");
        }
        specs.put(role, parse(in, "classpath:" + resource));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
    return new TopicCatalog(specs, "classpath:" + RESOURCE_FOLDER);
  }

  /** {@code directory} when given; else {@code ./topics} when it holds the files; else {@link #bundled()}. */
  public static TopicCatalog locate(Path directory) {
    if (directory != null) {
      return load(directory);
    }
    Path local = Path.of("topics");
    if (Files.isRegularFile(local.resolve(Topics.DEFAULT_FRAMES + ".json"))) {
      return load(local);
    }
    return bundled();
  }

  private static TopicSpec parse(InputStream in, String origin) throws IOException {
    try {
      return Json.mapper().readValue(in, TopicSpec.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid topic definition " + origin + ": " + e.getMessage(), e);
    }
  }

  /** Where the definitions came from (a folder or the classpath), for messages. */
  public String source() {
    return source;
  }

  /** The definition of {@code role} (one of {@link #ROLES}). */
  public TopicSpec spec(String role) {
    TopicSpec spec = specsByRole.get(role);
    if (spec == null) {
      throw new IllegalArgumentException("unknown topic role " + role + "; known: " + ROLES);
    }
    return spec;
  }

  /** All definitions in {@link #ROLES} order. */
  public List<TopicSpec> specs() {
    return ROLES.stream().map(specsByRole::get).toList();
  }

  /** The same definitions under the names the service is configured with. */
  public TopicCatalog renamed(Topics topics) {
    List<String> names = topics.names(); // frames, identities, identity-templates, match-events, frames-dlq
    Map<String, TopicSpec> renamed = new LinkedHashMap<>();
    for (int i = 0; i < ROLES.size(); i++) {
      renamed.put(ROLES.get(i), specsByRole.get(ROLES.get(i)).named(names.get(i)));
    }
    return new TopicCatalog(renamed, source);
  }

  /** The same definitions with every replication factor set to {@code factor} (null: broker default). */
  public TopicCatalog withReplicationFactor(Short factor) {
    Map<String, TopicSpec> changed = new LinkedHashMap<>();
    specsByRole.forEach((role, spec) -> changed.put(role, spec.withReplicationFactor(factor)));
    return new TopicCatalog(changed, source);
  }
}
