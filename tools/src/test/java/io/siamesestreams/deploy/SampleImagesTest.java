package io.siamesestreams.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.demo.FashionMnistImages;
import io.siamesestreams.demo.SampleImages;
import io.siamesestreams.testing.Dashboards;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker/samples (what the compose stack enrols and streams) is exactly what SampleImages exports. */
class SampleImagesTest {

  private static final Path COMMITTED = Dashboards.REPOSITORY.resolve("docker/samples");

  private static List<Path> pngs(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".png")).map(root::relativize).sorted().toList();
    }
  }

  private static int[] pixels(Path png) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
  }

  @Test
  void shouldMatchAFreshExportFromFashionMnist(@TempDir Path dir) throws Exception {
    List<Path> written = SampleImages.export(FashionMnistImages.sampleDirectory(), dir,
        SampleImages.ENROLL_PER_IDENTITY, SampleImages.FRAMES_PER_IDENTITY);

    assertThat(written).hasSize(FashionMnistImages.CLASSES
        * (SampleImages.ENROLL_PER_IDENTITY + SampleImages.FRAMES_PER_IDENTITY));
    assertThat(pngs(COMMITTED)).isEqualTo(pngs(dir));
    for (Path png : pngs(dir)) {
      assertThat(pixels(COMMITTED.resolve(png))).as("%s", png).isEqualTo(pixels(dir.resolve(png)));
    }
  }
}
