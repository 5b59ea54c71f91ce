package io.siamesestreams.gateway.send;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.frames.Frame;

/**
 * A frame (or face crop) ready to send.
 *
 * @param cameraId the record key and {@link Frame#cameraId()}
 * @param frameId unique id
 * @param captureEpochMillis when the picture was decoded, epoch ms ({@link Frame#timestamp()})
 * @param jpeg the encoded picture
 * @param claim claimed identity, or null
 * @param faceBox the face in {@code jpeg}'s pixels, or null for a whole frame or an aligned chip
 * @param aligned {@code jpeg} is an aligned face chip ({@link Frame#aligned()})
 */
public record OutgoingFrame(String cameraId, String frameId, long captureEpochMillis, byte[] jpeg, String claim,
    FaceBox faceBox, boolean aligned) {}
