package io.siamesestreams.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The gateway jar's command line, as {@code ./siamese gateway …} and the gateway image call it. */
class GatewayCliTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine commandLine = GatewayCli.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void theGatewaySubcommandPrintsItsHelp() {
    assertThat(execute("gateway", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: siamese gateway").contains("--cameras").contains("--source");
  }

  @Test
  void aGatewayWithoutCamerasEndsWithAMessageSayingWhatToGive() {
    assertThat(execute("gateway", "--bootstrap", "127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString()).contains("siamese gateway: give --camera ID and --source SRC, or --cameras FILE");
  }
}
