package io.siamesestreams.gateway.source;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Anything FFmpeg opens: {@code rtsp://}, {@code http(s)://} streams, video files (mp4, mkv, avi, …)
 * and V4L2 devices ({@code /dev/video*}), decoded by bytedeco's javacv {@link FFmpegFrameGrabber}
 * (FFmpeg 7.1 natives from the {@code org.bytedeco:ffmpeg} linux-x86_64 jar; nothing is downloaded
 * at run time).
 *
 * <p>Network streams: RTSP with FFmpeg's transport choice (UDP, else TCP); a stream silent for {@code ioTimeoutMicros} fails the read (FFmpeg
 * options {@code timeout} for RTSP, {@code rw_timeout} for HTTP). A file that ends well before its
 * declared duration (a truncated download) fails at its end with a message saying so.
 */
public final class FfmpegSource implements FrameSource {

  static {
    // FFmpeg would print each failed reconnection attempt and recoverable glitch on stderr; the gateway
    // reports failures itself, once per state change, with FFmpeg's message.
    avutil.av_log_set_level(avutil.AV_LOG_FATAL);
  }

  /** A file ending before this fraction of its declared duration is reported as truncated. */
  static final double TRUNCATED_BELOW = 0.9;

  private final String source;
  private final boolean live;
  private final boolean device;
  private final long ioTimeoutMicros;
  private final Java2DFrameConverter converter = new Java2DFrameConverter();
  private FFmpegFrameGrabber grabber;
  private long lastTimestampMicros;
  private long frames;

  /**
   * @param source a URL, a file path or a V4L2 device path
   * @param ioTimeoutMicros how long a network stream may stay silent before the read fails
   */
  public FfmpegSource(String source, long ioTimeoutMicros) {
    this.source = source;
    this.device = source.startsWith("/dev/video");
    this.live = device || source.contains("://");
    this.ioTimeoutMicros = ioTimeoutMicros;
  }

  @Override
  public void open() throws IOException {
    close();
    FFmpegFrameGrabber opened = new FFmpegFrameGrabber(source);
    if (device) {
      opened.setFormat("video4linux2");
    }
    if (source.startsWith("rtsp://") || source.startsWith("rtsps://")) {
      // RTP transport: FFmpeg's default (UDP, falling back to TCP-interleaved when UDP does not get through).
      opened.setOption("timeout", Long.toString(ioTimeoutMicros));
    } else if (source.contains("://")) {
      opened.setOption("rw_timeout", Long.toString(ioTimeoutMicros));
    }
    try {
      opened.start();
    } catch (IOException | RuntimeException e) {
      releaseQuietly(opened);
      throw new IOException("cannot open " + description() + ": " + e.getMessage(), e);
    }
    grabber = opened;
    lastTimestampMicros = 0;
    frames = 0;
  }

  @Override
  public CapturedFrame next() throws IOException {
    if (grabber == null) {
      throw new IOException(description() + " is not open");
    }
    long start = System.nanoTime();
    Frame frame;
    try {
      frame = grabber.grabImage();
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot decode " + description() + " after " + frames + " frame(s): " + e.getMessage(), e);
    }
    if (frame == null || frame.image == null) {
      if (live) {
        throw new IOException(description() + " ended (the server closed the stream)");
      }
      checkComplete();
      return null;
    }
    BufferedImage image = Java2DFrameConverter.cloneBufferedImage(converter.convert(frame));
    long decodeNanos = System.nanoTime() - start;
    lastTimestampMicros = grabber.getTimestamp();
    frames++;
    return new CapturedFrame(image, lastTimestampMicros, System.currentTimeMillis(), decodeNanos);
  }

  private void checkComplete() throws IOException {
    long declared = grabber.getLengthInTime();
    if (frames == 0) {
      throw new IOException(description() + " holds no decodable video frame (corrupt or not a video)");
    }
    if (declared > 0 && lastTimestampMicros < TRUNCATED_BELOW * declared) {
      throw new IOException(String.format(
          "%s ended after %d frame(s) at %.2f s of its declared %.2f s: the file is truncated or corrupt",
          description(), frames, lastTimestampMicros / 1e6, declared / 1e6));
    }
  }

  @Override
  public boolean live() {
    return live;
  }

  @Override
  public String description() {
    // Credentials in a URL (rtsp://user:password@host/...) never reach the logs.
    return (live && !device ? "stream " : device ? "device " : "file ") + source.replaceFirst("://[^/@]*@", "://***@");
  }

  @Override
  public void close() {
    FFmpegFrameGrabber open = grabber;
    grabber = null;
    if (open != null) {
      releaseQuietly(open);
    }
  }

  private static void releaseQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.release();
    } catch (IOException | RuntimeException ignored) {
      // Closing a broken stream may fail again; the failure that matters was already reported.
    }
  }
}
