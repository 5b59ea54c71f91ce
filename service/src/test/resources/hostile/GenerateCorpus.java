import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Writes the hostile input corpus (frames/, identities/, corpus.tsv) into the folder given as the only
 * argument. Deterministic (seeded); run from the repository root with
 * {@code java service/src/test/resources/hostile/GenerateCorpus.java service/src/test/resources/hostile}
 * after changing an item. Not compiled by the build: the committed files are the corpus.
 */
public class GenerateCorpus {
  static Path root;
  static StringBuilder manifest = new StringBuilder();

  public static void main(String[] a) throws Exception {
    root = Path.of(a[0]);
    Files.createDirectories(root.resolve("frames"));
    Files.createDirectories(root.resolve("identities"));
    manifest.append("# hostile input corpus: file (relative to this folder, '-' = null value) | topic | key ('-' = null key) | expected outcome\n");
    manifest.append("# expected: DLQ:<reason header> (a dead letter with exactly this reason) or EVENT:<decision> (a match event)\n");
    Random r = new Random(7);
    byte[] grey28 = png(grey(28, 28, r), 28, 28);
    String g28 = b64(grey28);
    frame("01-not-json.bin", "cam-h", "this is not json {\u0001".getBytes("UTF-8"), "DLQ:NOT_JSON");
    frame("02-json-array.json", "cam-h", "[{\"frameId\":\"arr-1\",\"cameraId\":\"cam-h\",\"timestamp\":1,\"image\":\"AAAA\"}]".getBytes("UTF-8"), "DLQ:NOT_JSON");
    frame("03-missing-frame-id.json", "cam-h", json(null, g28, null, "1"), "DLQ:MISSING_FIELD:frameId");
    frame("04-missing-image.json", "cam-h", "{\"frameId\":\"h-04\",\"cameraId\":\"cam-h\",\"timestamp\":1}".getBytes("UTF-8"), "DLQ:MISSING_FIELD:image");
    frame("05-image-not-base64.json", "cam-h", json("h-05", "!!not*base64$$", null, "1"), "DLQ:INVALID_BASE64");
    frame("06-truncated-png.json", "cam-h", json("h-06", b64(Arrays.copyOf(grey28, grey28.length / 2)), null, "1"), "DLQ:UNDECODABLE_IMAGE");
    byte[] jpeg = jpeg(28, 28, r);
    frame("07-truncated-jpeg.json", "cam-h", json("h-07", b64(Arrays.copyOf(jpeg, jpeg.length / 2)), null, "1"), "DLQ:UNDECODABLE_IMAGE");
    frame("08-zero-byte-image.json", "cam-h", json("h-08", "", null, "1"), "DLQ:MISSING_FIELD:image");
    frame("09-zero-by-zero-png.json", "cam-h", json("h-09", b64(pngHeaderOnly(0, 0)), null, "1"), "DLQ:UNDECODABLE_IMAGE");
    frame("10-decompression-bomb-png.json", "cam-h", json("h-10", b64(pngHeaderOnly(100_000, 100_000)), null, "1"), "DLQ:IMAGE_DIMENSIONS_TOO_LARGE");
    frame("11-rgba-four-channels-png.json", "cam-h", json("h-11", b64(rgba(28, 28, r)), null, "1"), "EVENT:NO_MATCH");
    frame("12-wrong-size-png.json", "cam-h", json("h-12", b64(png(grey(64, 64, r), 64, 64)), null, "1"), "DLQ:WRONG_IMAGE_SIZE");
    StringBuilder pad = new StringBuilder();
    while (pad.length() < 80_000) pad.append("0123456789abcdef");
    frame("13-over-size-limit.json", "cam-h", ("{\"frameId\":\"h-13\",\"cameraId\":\"cam-h\",\"timestamp\":1,\"image\":\"" + g28 + "\",\"padding\":\"" + pad + "\"}").getBytes("UTF-8"), "DLQ:RECORD_TOO_LARGE");
    frame("14-null-key.json", "-", json("h-14", g28, null, "1"), "DLQ:NULL_KEY");
    frame("15-claims-unenrolled-identity.json", "cam-h", json("h-15", g28, "mallory", "1"), "EVENT:UNKNOWN_IDENTITY");
    frame("16-duplicate-frame-id.json", "cam-h", json("h-16", g28, null, "1"), "EVENT:NO_MATCH");
    line("16-duplicate-frame-id.json", "frames", "cam-h", "DLQ:DUPLICATE_FRAME_ID");
    frame("17-timestamp-not-a-number.json", "cam-h", json("h-17", g28, null, "\"yesterday\""), "DLQ:MISSING_FIELD:timestamp");
    frame("18-face-box-not-a-box.json", "cam-h", ("{\"frameId\":\"h-18\",\"cameraId\":\"cam-h\",\"timestamp\":1,\"image\":\"" + g28 + "\",\"faceBox\":\"everywhere\"}").getBytes("UTF-8"), "DLQ:INVALID_FIELD:faceBox");
    line("-", "frames", "cam-h", "DLQ:NULL_VALUE");
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 5000; i++) deep.append('[');
    frame("19-deeply-nested-json.json", "cam-h", deep.toString().getBytes("UTF-8"), "DLQ:NOT_JSON");
    frame("20-invalid-utf8.bin", "cam-h", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', ':', '1', '}'}, "DLQ:NOT_JSON");
    frame("21-gif-not-png-or-jpeg.json", "cam-h", json("h-21", b64("GIF89a....".getBytes("UTF-8")), null, "1"), "DLQ:UNDECODABLE_IMAGE");
    // identities
    ident("i1-no-images.json", "nobody", "{\"identityId\":\"nobody\",\"displayName\":\"No Body\",\"images\":[]}".getBytes("UTF-8"), "DLQ:NO_VALID_IMAGES");
    ident("i2-all-images-undecodable.json", "broken", ("{\"identityId\":\"broken\",\"images\":[\"" + b64(Arrays.copyOf(grey28, 40)) + "\",\"%%%\",\"" + b64("hello".getBytes("UTF-8")) + "\"]}").getBytes("UTF-8"), "DLQ:NO_VALID_IMAGES");
    ident("i3-not-json.bin", "garbage", "<xml/>".getBytes("UTF-8"), "DLQ:NOT_JSON");
    ident("i4-key-mismatch.json", "eve", ("{\"identityId\":\"alice\",\"images\":[\"" + g28 + "\"]}").getBytes("UTF-8"), "DLQ:KEY_MISMATCH");
    ident("i5-missing-images.json", "nimages", "{\"identityId\":\"nimages\"}".getBytes("UTF-8"), "DLQ:MISSING_FIELD:images");
    ident("i6-null-key.json", "-", ("{\"images\":[\"" + g28 + "\"]}").getBytes("UTF-8"), "DLQ:NULL_KEY");
    Files.writeString(root.resolve("corpus.tsv"), manifest.toString());
  }

  static void frame(String name, String key, byte[] value, String expect) throws IOException {
    Files.write(root.resolve("frames").resolve(name), value);
    line(name, "frames", key, expect);
  }
  static void ident(String name, String key, byte[] value, String expect) throws IOException {
    Files.write(root.resolve("identities").resolve(name), value);
    line("identities/" + name, "identities", key, expect);
  }
  static void line(String file, String topic, String key, String expect) {
    String path = file.equals("-") || file.contains("/") ? file : "frames/" + file;
    manifest.append(path).append('\t').append(topic).append('\t').append(key).append('\t').append(expect).append('\n');
  }
  static byte[] json(String id, String image, String claim, String ts) throws IOException {
    StringBuilder s = new StringBuilder("{");
    if (id != null) s.append("\"frameId\":\"").append(id).append("\",");
    s.append("\"cameraId\":\"cam-h\",\"timestamp\":").append(ts).append(",\"image\":\"").append(image).append('"');
    if (claim != null) s.append(",\"claimedIdentity\":\"").append(claim).append('"');
    return s.append('}').toString().getBytes("UTF-8");
  }
  static String b64(byte[] b) { return Base64.getEncoder().encodeToString(b); }
  static int[] grey(int w, int h, Random r) { int[] p = new int[w * h]; for (int i = 0; i < p.length; i++) p[i] = r.nextInt(256); return p; }
  static byte[] png(int[] px, int w, int h) throws IOException {
    BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    im.getRaster().setPixels(0, 0, w, h, px);
    return write(im, "png");
  }
  static byte[] rgba(int w, int h, Random r) throws IOException {
    BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, (r.nextInt(256) << 24) | r.nextInt(1 << 24));
    return write(im, "png");
  }
  static byte[] jpeg(int w, int h, Random r) throws IOException {
    BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    im.getRaster().setPixels(0, 0, w, h, grey(w, h, r));
    return write(im, "jpeg");
  }
  static byte[] write(BufferedImage im, String f) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream(); ImageIO.write(im, f, o); return o.toByteArray();
  }
  /** A complete, tiny PNG (signature, IHDR, one small IDAT, IEND) that declares w x h grey pixels. */
  static byte[] pngHeaderOnly(int w, int h) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream hd = new DataOutputStream(ihdr);
    hd.writeInt(w); hd.writeInt(h); hd.writeByte(8); hd.writeByte(0); hd.writeByte(0); hd.writeByte(0); hd.writeByte(0);
    chunk(o, "IHDR", ihdr.toByteArray());
    java.util.zip.Deflater def = new java.util.zip.Deflater(9);
    def.setInput(new byte[64 * 1024]); def.finish();
    byte[] buf = new byte[64 * 1024]; int n = def.deflate(buf);
    chunk(o, "IDAT", Arrays.copyOf(buf, n));
    chunk(o, "IEND", new byte[0]);
    return o.toByteArray();
  }
  static void chunk(ByteArrayOutputStream o, String type, byte[] data) throws IOException {
    DataOutputStream d = new DataOutputStream(o);
    d.writeInt(data.length);
    byte[] t = type.getBytes("US-ASCII");
    d.write(t); d.write(data);
    CRC32 c = new CRC32(); c.update(t); c.update(data);
    d.writeInt((int) c.getValue());
  }
}
