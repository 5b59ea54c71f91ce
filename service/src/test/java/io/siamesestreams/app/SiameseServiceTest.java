package io.siamesestreams.app;

import static io.siamesestreams.config.ServiceConfig.APPLICATION_ID;
import static io.siamesestreams.config.ServiceConfig.BATCH_SIZE;
import static io.siamesestreams.config.ServiceConfig.BOOTSTRAP_SERVERS;
import static io.siamesestreams.config.ServiceConfig.MODEL_DIR;
import static io.siamesestreams.config.ServiceConfig.ONNX_THREADS;
import static io.siamesestreams.config.ServiceConfig.PROCESSING_GUARANTEE;
import static io.siamesestreams.config.ServiceConfig.STATE_DIR;
import static io.siamesestreams.config.ServiceConfig.STREAM_THREADS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.DeadLetterExceptionHandlers;
import io.siamesestreams.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiameseServiceTest {

  @TempDir
  Path dir;

  @Test
  void shouldFailAtStartWithTheBundleValidationMessageBeforeConnectingToKafka() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path manifest = bundle.resolve("model.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"channels\" : 1", "\"channels\" : 4"));

    // Nothing listens on this port: the bundle must fail first.
    assertThatThrownBy(() -> SiameseService.start(ServiceSettings.of(Map.of(BOOTSTRAP_SERVERS, "127.0.0.1:1", MODEL_DIR, bundle))))
        .isInstanceOf(BundleValidationException.class)
        .hasMessageContaining("model.json")
        .hasMessageContaining("input.channels");
  }

  @Test
  void shouldConfigureExactlyOnceDeadLettersAndLetPassThroughSettingsWinOverDefaults() {
    Properties passThrough = new Properties();
    passThrough.put("security.protocol", "SASL_SSL");
    passThrough.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "250");
    ServiceSettings settings = ServiceSettings.of(Map.of(BOOTSTRAP_SERVERS, "broker:9092", MODEL_DIR, dir,
            APPLICATION_ID, "my-app", STATE_DIR, dir.resolve("state"), STREAM_THREADS, 2, ONNX_THREADS, 1))
        .with(passThrough)
        .with(Topics.prefixed("x-").settings());

    Properties props = SiameseService.streamsProperties(settings);

    assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("my-app");
    assertThat(props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("broker:9092");
    assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(dir.resolve("state").toAbsolutePath().toString());
    assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo("2");
    assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("250");
    assertThat(props.get("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("x-frames-dlq");
    assertThat(props.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetterExceptionHandlers.Processing.class.getName());
  }

  @Test
  void shouldRejectSettingsOutsideTheirRanges() {
    ServiceSettings defaults = ServiceSettings.of(Map.of(BOOTSTRAP_SERVERS, "b:1", MODEL_DIR, dir));
    assertThatThrownBy(() -> defaults.with(Map.of(BATCH_SIZE, 0)))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class).hasMessageContaining("siamese.batch.size=0")
        .hasMessageContaining("must be at least 1");
    assertThatThrownBy(() -> defaults.with(Map.of(PROCESSING_GUARANTEE, "exactly_once")))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessageContaining("processing.guarantee=exactly_once");
    assertThat(defaults.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(defaults.streamThreads()).isEqualTo(1);
  }
}
