package io.siamesestreams.reliability;

import io.siamesestreams.app.ServiceCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code siamese run} (or any {@code siamese} command) as its own JVM, the way an operator starts it,
 * with stdout and stderr in a log file. {@link #kill9()} ends it with SIGKILL: no shutdown hook, no
 * commit, no transaction abort, exactly like a crashed host.
 */
final class ServiceProcess implements AutoCloseable {

  /** The tools' entry point (enroll, produce, watch, …): on the classpath of the tools module's tests. */
  static final String TOOLS_MAIN = "io.siamesestreams.cli.SiameseCli";

  private final Process process;
  private final Path log;

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code siamese <args…>} with a 384 MiB heap, logging to {@code log}: {@code run} with the
   * service's entry point ({@link ServiceCli}), any other command with the tools' ({@value #TOOLS_MAIN}).
   */
  static ServiceProcess start(Path log, List<String> args) {
    return start(log, args, java.util.Map.of());
  }

  /** As {@link #start(Path, List)} with extra environment variables (e.g. {@code SIAMESE_KAFKA_*}). */
  static ServiceProcess start(Path log, List<String> args, java.util.Map<String, String> environment) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-cp", System.getProperty("java.class.path"),
        "run".equals(args.get(0)) ? ServiceCli.class.getName() : TOOLS_MAIN));
    command.addAll(args);
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      return new ServiceProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The process's output so far. */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the service logged its transition to RUNNING; returns false when it did not within
   * {@code timeout} (or the process ended first).
   */
  boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (log().contains("-> RUNNING")) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Waits for the process to end; returns its exit status, or empty-handed -1 after {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, then waits (bounded) until the process is gone; returns its exit status (137). */
  int kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
    }
    return process.exitValue();
  }

  /** SIGTERM (a clean stop through the shutdown hook), bounded; SIGKILL if it takes over a minute. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill9();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
