package io.siamesestreams.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The project's one Jackson configuration (ISO-8601 instants, records, indented output on request). */
public final class Json {
  private Json() {}

  /** The shared, thread-safe mapper. Unknown properties fail, so typos in model.json are caught. */
  public static ObjectMapper mapper() {
    throw new UnsupportedOperationException("TODO");
  }
}
