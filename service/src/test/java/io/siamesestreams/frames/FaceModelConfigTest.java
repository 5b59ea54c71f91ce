package io.siamesestreams.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceModelConfigTest {

  @TempDir
  Path folder;

  @Test
  void shouldTakeWholeFramesWhenTheFolderHasNoFacesJson() {
    assertThat(FaceModelConfig.read(folder).frames()).isEqualTo(FaceModelConfig.FrameKind.WHOLE);
  }

  @Test
  void shouldReadCropsFromFacesJson() throws IOException {
    Files.writeString(folder.resolve(FaceModelConfig.FILE_NAME), "{\"frames\": \"CROPS\"}");

    assertThat(FaceModelConfig.read(folder).frames()).isEqualTo(FaceModelConfig.FrameKind.CROPS);
  }

  @Test
  void shouldRejectAnUnknownFieldSoThatATypoIsNotIgnored() throws IOException {
    Files.writeString(folder.resolve(FaceModelConfig.FILE_NAME), "{\"frame\": \"CROPS\"}");

    assertThatThrownBy(() -> FaceModelConfig.read(folder))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown field frame");
  }

  @Test
  void shouldRejectAnUnknownFrameKind() throws IOException {
    Files.writeString(folder.resolve(FaceModelConfig.FILE_NAME), "{\"frames\": \"FACES\"}");

    assertThatThrownBy(() -> FaceModelConfig.read(folder))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WHOLE or CROPS");
  }

  @Test
  void shouldNotTakeAFolderWithoutTheThreeBundlesForAFaceModel() throws IOException {
    Files.createDirectories(folder.resolve("face-recognition"));

    assertThat(FaceExtraction.isFaceModel(folder)).isFalse();
  }
}
