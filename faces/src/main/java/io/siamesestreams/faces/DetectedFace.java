package io.siamesestreams.faces;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.landmark.FaceLandmarks;
import java.awt.image.BufferedImage;

/**
 * One face found in a frame (or given as a crop), ready to embed.
 *
 * @param box where the face is, in the frame's pixels (for a crop: the whole crop)
 * @param score the detector's score in (0, 1); 1 for a crop that skipped detection
 * @param landmarks the 68 landmarks in the frame's pixels
 * @param chip the aligned face, {@link io.siamesestreams.faces.align.FaceAligner#DEFAULT_SIZE} square RGB,
 *     eyes at fixed positions: the encoder's input
 */
public record DetectedFace(FaceBox box, double score, FaceLandmarks landmarks, BufferedImage chip) {}
