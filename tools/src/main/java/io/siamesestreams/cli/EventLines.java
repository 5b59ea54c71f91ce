package io.siamesestreams.cli;

import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.records.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;

/** One readable line per match event or dead letter, as {@code siamese watch} prints them. */
public final class EventLines {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

  private EventLines() {}

  /**
   * {@code 12:00:01.234 cam-1 VERIFY MATCH identity=trouser distance=0.1234 p=0.987 threshold=0.5000
   * latency=45ms frame=…}; IDENTIFY lines add {@code candidates=a:0.12,b:0.55}.
   */
  public static String matchEvent(MatchEvent event) {
    StringBuilder line = new StringBuilder();
    line.append(TIME.format(Instant.ofEpochMilli(event.processedAt())))
        .append(' ').append(event.cameraId())
        .append(' ').append(event.mode())
        .append(' ').append(event.decision())
        .append(" identity=").append(event.identityId() == null ? "-" : event.identityId())
        .append(" distance=").append(event.distance() == null ? "-" : format(event.distance()))
        .append(" p=").append(event.probability() == null ? "-" : String.format(Locale.ROOT, "%.3f", event.probability()))
        .append(" threshold=").append(format(event.threshold()));
    if (event.mode() == Mode.IDENTIFY && event.candidates() != null && !event.candidates().isEmpty()) {
      line.append(" candidates=")
          .append(
              event.candidates().stream()
                  .map(candidate -> candidate.identityId() + ":" + format(candidate.distance()))
                  .collect(Collectors.joining(",")));
    }
    line.append(" latency=").append(event.processedAt() - event.frameTimestamp()).append("ms")
        .append(" frame=").append(event.frameId());
    return line.toString();
  }

  /**
   * {@code 12:00:01.234 DEAD_LETTER reason=NOT_JSON source=frames/0@12 key=cam-1 bytes=123
   * detail="…"}.
   */
  public static String deadLetter(long timestamp, String key, byte[] value, Headers headers) {
    String source =
        DeadLetters.header(headers, DeadLetters.SOURCE_TOPIC_HEADER) + "/"
            + DeadLetters.header(headers, DeadLetters.SOURCE_PARTITION_HEADER) + "@"
            + DeadLetters.header(headers, DeadLetters.SOURCE_OFFSET_HEADER);
    String detail = DeadLetters.header(headers, DeadLetters.DETAIL_HEADER);
    return TIME.format(Instant.ofEpochMilli(timestamp))
        + " DEAD_LETTER reason=" + DeadLetters.header(headers, DeadLetters.REASON_HEADER)
        + " source=" + source
        + " key=" + (key == null ? "-" : key)
        + " bytes=" + (value == null ? 0 : value.length)
        + " detail=\"" + (detail == null ? "" : detail.replace("\"", "'").replace('\n', ' ')) + "\"";
  }

  /** Key bytes as UTF-8 text, for display. */
  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
