package io.siamesestreams.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ExecutionProviderTest {

  @Test
  void shouldParseCpuAndCudaInAnyCaseAndNameTheSettingForAnythingElse() {
    assertThat(ExecutionProvider.parse("cpu")).isEqualTo(ExecutionProvider.CPU);
    assertThat(ExecutionProvider.parse(" CUDA ")).isEqualTo(ExecutionProvider.CUDA);
    assertThat(ExecutionProvider.CUDA.setting()).isEqualTo("cuda");
    assertThatThrownBy(() -> ExecutionProvider.parse("gpu")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("siamese.onnx.execution.provider must be cpu or cuda, was \"gpu\"");
  }

  @Test
  void cpuSessionOptionsShouldOpenOnEveryBuild() throws Exception {
    try (OrtSession.SessionOptions options = ExecutionProvider.CPU.sessionOptions(1)) {
      assertThat(options).isNotNull();
    }
    ExecutionProvider.CPU.requireAvailable();
  }

  @Test
  void cudaShouldFailClearlyOnTheDefaultCpuBuild() {
    Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "this ONNX Runtime has CUDA (the -Pgpu build)");

    assertThatThrownBy(() -> ExecutionProvider.CUDA.sessionOptions(1))
        .isInstanceOf(ExecutionProvider.UnavailableException.class)
        .hasMessageContaining("siamese.onnx.execution.provider=cuda")
        .hasMessageContaining("-Pgpu");
  }
}
