package io.siamesestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.ServiceCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class SiameseCliTest {

  private static ParseResult parse(String... args) {
    return SiameseCli.newCommandLine().parseArgs(args);
  }

  private static <T> T command(ParseResult result) {
    ParseResult leaf = result;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    return leaf.commandSpec().commandLine().getCommand();
  }

  @Test
  void shouldListEveryCommandInTheHelp() {
    StringWriter out = new StringWriter();
    CommandLine cli = SiameseCli.newCommandLine();
    cli.setOut(new PrintWriter(out));

    int status = cli.execute("--help");

    assertThat(status).isZero();
    assertThat(out.toString()).contains("demo", "broker", "topics", "enroll", "produce", "watch");
  }

  @Test
  void shouldParseTheBrokerDefaultsAndOptions() {
    BrokerCommand defaults = command(parse("broker"));
    BrokerCommand custom = command(parse("broker", "--port", "0", "--data", "/var/lib/kafka"));

    assertThat(defaults.port).isEqualTo(9092);
    assertThat(defaults.data).isNull();
    assertThat(custom.port).isZero();
    assertThat(custom.data).isEqualTo(Path.of("/var/lib/kafka"));
  }

  @Test
  void shouldParseTopicsApplyWithKafkaOptions() {
    TopicsCommand.Apply apply = command(parse("topics", "apply", "--bootstrap", "k:9092", "--config", "c.properties",
        "--replication-factor", "3"));

    assertThat(apply.kafka.bootstrap()).isEqualTo("k:9092");
    assertThat(apply.kafka.config()).isEqualTo(Path.of("c.properties"));
    assertThat(apply.replicationFactor).isEqualTo((short) 3);
  }

  @Test
  void shouldParseEnrollWithSeveralImagesOrErase() {
    EnrollCommand enroll = command(parse("enroll", "-b", "k:1", "--identity", "alice", "--name", "Alice",
        "--images", "a.png", "b.jpg"));
    EnrollCommand erase = command(parse("enroll", "-b", "k:1", "--identity", "alice", "--erase"));

    assertThat(enroll.identity).isEqualTo("alice");
    assertThat(enroll.name).isEqualTo("Alice");
    assertThat(enroll.what.images).containsExactly(Path.of("a.png"), Path.of("b.jpg"));
    assertThat(erase.what.erase).isTrue();
  }

  @Test
  void shouldRefuseEnrollWithBothImagesAndErase() {
    StringWriter err = new StringWriter();
    CommandLine cli = SiameseCli.newCommandLine();
    cli.setErr(new PrintWriter(err));

    int status = cli.execute("enroll", "--identity", "alice", "--images", "a.png", "--erase");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void shouldParseProduceAsACameraGateway() {
    ProduceCommand produce = command(parse("produce", "--bootstrap", "k:1", "--camera", "cam-1", "--images", "dir",
        "--claim", "alice", "--fps", "2.5", "--count", "10"));
    ProduceCommand defaults = command(parse("produce", "--camera", "cam-1", "--images", "dir"));

    assertThat(produce.camera).isEqualTo("cam-1");
    assertThat(produce.images).containsExactly(Path.of("dir"));
    assertThat(produce.claim).isEqualTo("alice");
    assertThat(produce.fps).isEqualTo(2.5);
    assertThat(produce.count).isEqualTo(10);
    assertThat(defaults.fps).isEqualTo(5.0);
    assertThat(defaults.count).isNull();
    assertThat(defaults.claim).isNull();
  }

  @Test
  void shouldRequireACameraToProduce() {
    StringWriter err = new StringWriter();
    CommandLine cli = SiameseCli.newCommandLine();
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("produce", "--images", "dir")).isEqualTo(2);
    assertThat(err.toString()).contains("--camera");
  }

  @Test
  void shouldParseWatchForEventsOrDeadLetters() {
    WatchCommand events = command(parse("watch", "--bootstrap", "k:1"));
    WatchCommand deadLetters = command(parse("watch", "--bootstrap", "k:1", "--dlq", "--from-beginning", "--max", "5"));

    assertThat(events.deadLetters).isFalse();
    assertThat(deadLetters.deadLetters).isTrue();
    assertThat(deadLetters.fromBeginning).isTrue();
    assertThat(deadLetters.max).isEqualTo(5L);
  }

  @Test
  void shouldParseTheDemoDefaultsAndOptions() {
    DemoCommand defaults = command(parse("demo"));
    DemoCommand custom = command(parse("demo", "--duration", "15", "--model", "bundle", "--fps", "20"));

    assertThat(defaults.durationSeconds).isEqualTo(60);
    assertThat(defaults.model).isEqualTo(Path.of("models", "fashion-mnist"));
    assertThat(defaults.kafka.bootstrap()).isNull();
    assertThat(custom.durationSeconds).isEqualTo(15);
    assertThat(custom.model).isEqualTo(Path.of("bundle"));
    assertThat(custom.fps).isEqualTo(20.0);
  }

  @Test
  void shouldFindTheDefaultModelInTheCheckoutFromAnyWorkingDirectory() {
    // Tests run in tools/, which has no topics/ folder; the checkout root has one.
    assertThat(Path.of("topics")).doesNotExist();

    assertThat(DemoCommand.locateModel(Path.of("topics")).toAbsolutePath().normalize())
        .isEqualTo(Path.of("..", "topics").toAbsolutePath().normalize());
    assertThat(DemoCommand.locateModel(Path.of("no-such-bundle"))).isEqualTo(Path.of("no-such-bundle"));
  }

  @Test
  void shouldLeaveTheServiceCommandToTheServiceEntryPoint() {
    assertThat(SiameseCli.newCommandLine().getSubcommands()).doesNotContainKey("run");
    assertThat(List.of(ServiceCli.newCommandLine().parseArgs("run", "--bootstrap", "k:1", "--model", "m")
        .subcommand().commandSpec().name())).containsExactly("run");
  }
}
