package io.siamesestreams.gateway.source;

import java.awt.image.BufferedImage;

/**
 * One decoded picture.
 *
 * @param image the picture (owned by the receiver: sources never reuse it)
 * @param mediaTimeMicros presentation time in the source's clock, microseconds from the start of the
 *     stream or file (folders: the image's index × the folder's frame interval)
 * @param captureEpochMillis wall-clock time the gateway received it, epoch milliseconds (the frame's
 *     {@code timestamp} and the start of the capture-to-send lag)
 * @param decodeNanos time spent decoding it
 */
public record CapturedFrame(BufferedImage image, long mediaTimeMicros, long captureEpochMillis, long decodeNanos) {}
