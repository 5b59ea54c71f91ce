package io.siamesestreams.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.preprocess.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
  @TempDir Path root;

  /** Writes a 2×2 grey image whose pixels all have {@code value}. */
  static void writeImage(Path file, int value, String format) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        image.getRaster().setSample(x, y, 0, value);
      }
    }
    if (!ImageIO.write(image, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
  }

  @Test
  void shouldUseSortedFolderNamesAsClassesAndKeepFilesEncoded() throws IOException {
    writeImage(root.resolve("bob/b.png"), 30, "png");
    writeImage(root.resolve("alice/2.png"), 20, "png");
    writeImage(root.resolve("alice/1.png"), 10, "png");
    writeImage(root.resolve("bob/a.JPG"), 40, "jpg");
    writeImage(root.resolve(".hidden/x.png"), 0, "png");
    writeImage(root.resolve("bob/.thumb.png"), 0, "png");
    Files.writeString(root.resolve("bob/notes.txt"), "not an image");
    Files.createDirectories(root.resolve("carol"));
    writeImage(root.resolve("loose.png"), 0, "png");

    LabeledImages images = ImageFolderDataset.load(root);

    assertThat(images.classNames()).containsExactly("alice", "bob");
    assertThat(images.size()).isEqualTo(4);
    assertThat(images.labels()).containsExactly(0, 0, 1, 1);
    assertThat(images.isEncoded()).isTrue();
    assertThat(images.source(0)).endsWith("1.png");
    assertThat(images.source(2)).endsWith("a.JPG");
    assertThat(images.imageBytes(1)).isEqualTo(Files.readAllBytes(root.resolve("alice/2.png")));
  }

  @Test
  void putImageShouldDecodeTheStoredPng() throws Exception {
    writeImage(root.resolve("alice/1.png"), 51, "png");
    LabeledImages images = ImageFolderDataset.load(root);
    ImagePreprocessor preprocessor = TestImages.greyPreprocessor(2, 2);
    FloatBuffer buffer = preprocessor.allocate(1);

    images.putImage(0, preprocessor, buffer);

    assertThat(new float[] {buffer.get(0), buffer.get(1), buffer.get(2), buffer.get(3)}).containsOnly(51 / 255f);
  }

  @Test
  void shouldRejectARootWithoutAnyIdentityFolderWithImages() throws IOException {
    Files.createDirectories(root.resolve("empty-identity"));
    Files.writeString(root.resolve("readme.txt"), "x");

    assertThatThrownBy(() -> ImageFolderDataset.load(root))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("no identity folder with images in " + root);
  }

  @Test
  void shouldRejectAMissingRoot() {
    Path missing = root.resolve("nowhere");

    assertThatThrownBy(() -> ImageFolderDataset.load(missing))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining(missing.toString());
  }
}
