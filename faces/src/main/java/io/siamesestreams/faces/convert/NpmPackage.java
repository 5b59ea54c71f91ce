package io.siamesestreams.faces.convert;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The files of an npm package tarball ({@code npm pack} output: a gzip-compressed tar whose entries
 * live under {@code package/}), read fully into memory.
 *
 * <p>Paths are relative to the package root, e.g. {@code model/face_recognition_model.bin}.
 * Directories, links and other non-regular entries are ignored.
 */
public final class NpmPackage {

  /** The folder every entry of an npm tarball lives in. */
  public static final String ROOT = "package/";

  private final Path source;
  private final Map<String, byte[]> files;

  private NpmPackage(Path source, Map<String, byte[]> files) {
    this.source = source;
    this.files = Collections.unmodifiableMap(files);
  }

  /**
   * Reads every regular file of the tarball, keeping only those whose package-relative path
   * starts with one of {@code prefixes} (all files when none are given).
   *
   * @throws UncheckedIOException when the file is missing or not a gzip-compressed tar
   */
  public static NpmPackage read(Path tarball, String... prefixes) {
    if (!Files.isRegularFile(tarball)) {
      throw new UncheckedIOException(new IOException("npm package not found: " + tarball));
    }
    Map<String, byte[]> files = new TreeMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
        GzipCompressorInputStream gzip = new GzipCompressorInputStream(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        String name = entry.getName();
        String path = name.startsWith(ROOT) ? name.substring(ROOT.length()) : name;
        if (wanted(path, prefixes)) {
          files.put(path, tar.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read npm package " + tarball + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new UncheckedIOException(new IOException("npm package " + tarball + " holds no files under " + String.join(", ", prefixes)));
    }
    return new NpmPackage(tarball, files);
  }

  private static boolean wanted(String path, String[] prefixes) {
    if (prefixes.length == 0) {
      return true;
    }
    for (String prefix : prefixes) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The tarball this package was read from. */
  public Path source() {
    return source;
  }

  public boolean contains(String path) {
    return files.containsKey(path);
  }

  /**
   * The bytes of one file.
   *
   * @throws NoSuchElementException naming the tarball when the file is absent
   */
  public byte[] bytes(String path) {
    byte[] data = files.get(path);
    if (data == null) {
      throw new NoSuchElementException(source + " has no file " + path);
    }
    return data;
  }

  /** A file as UTF-8 text. */
  public String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  /** Every file read, by package-relative path, in path order. */
  public Map<String, byte[]> files() {
    return files;
  }
}
