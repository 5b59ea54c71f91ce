package io.siamesestreams.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {

  record Sample(String name, Instant at, double value) {}

  @Test
  void shouldWriteInstantsAsIsoTextAndReadRecordsBack() throws Exception {
    Sample sample = new Sample("x", Instant.parse("2026-11-28T19:52:15.123Z"), 0.5);

    String json = Json.mapper().writeValueAsString(sample);

    assertThat(json).isEqualTo("{\"name\":\"x\",\"at\":\"2026-11-28T19:52:15.123Z\",\"value\":0.5}");
    assertThat(Json.mapper().readValue(json, Sample.class)).isEqualTo(sample);
  }

  @Test
  void shouldRejectUnknownProperties() {
    assertThatThrownBy(() -> Json.mapper().readValue("{\"name\":\"x\",\"value\":1,\"valeu\":1}", Sample.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("valeu");
  }

  @Test
  void shouldRoundTripANanItWroteItself() throws Exception {
    Sample sample = new Sample("x", null, Double.NaN);
    assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(sample), Sample.class).value()).isNaN();
  }

  @Test
  void shouldRejectBareNanAndInfinityTokensAndNumbersWrittenAsStrings() {
    for (String value : new String[] {"NaN", "Infinity", "-Infinity", "\"1.5\""}) {
      assertThatThrownBy(() -> Json.mapper().readValue("{\"value\":" + value + "}", Sample.class))
          .as(value)
          .isInstanceOf(JsonProcessingException.class);
    }
  }

  @Test
  void shouldRejectDuplicateKeysAndNullPrimitives() {
    assertThatThrownBy(() -> Json.mapper().readValue("{\"value\":1,\"value\":2}", Sample.class))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.mapper().readValue("{\"value\":null}", Sample.class))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.mapper().readValue("{\"name\":\"no value\"}", Sample.class))
        .isInstanceOf(JsonProcessingException.class);
  }
}
