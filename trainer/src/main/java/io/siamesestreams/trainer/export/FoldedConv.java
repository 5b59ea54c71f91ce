package io.siamesestreams.trainer.export;

import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import io.siamesestreams.trainer.model.SiameseNetwork;

/**
 * A convolution with the inference-mode batch normalisation that follows it folded in: with
 * {@code s_o = γ_o / sqrt(runningVar_o + ε)},
 *
 * <pre>W'[o, ...] = s_o · W[o, ...]      b'_o = s_o · (b_o − runningMean_o) + β_o</pre>
 *
 * so that {@code Conv(x; W', b') = BatchNorm(Conv(x; W, b))} and the ONNX graph needs no
 * BatchNormalization node. Computed in double precision, stored as float.
 *
 * @param weight W' flattened, same order as DJL's [out, in, kh, kw]
 * @param weightShape [out, in, kh, kw]
 * @param bias b', [out]
 */
record FoldedConv(float[] weight, long[] weightShape, float[] bias) {

  static FoldedConv of(Conv2d conv, BatchNorm norm) {
    var convParams = conv.getParameters();
    var normParams = norm.getParameters();
    float[] w = convParams.get("weight").getArray().toFloatArray();
    long[] shape = convParams.get("weight").getArray().getShape().getShape();
    float[] b = convParams.get("bias").getArray().toFloatArray();
    float[] gamma = normParams.get("gamma").getArray().toFloatArray();
    float[] beta = normParams.get("beta").getArray().toFloatArray();
    float[] mean = normParams.get("runningMean").getArray().toFloatArray();
    float[] variance = normParams.get("runningVar").getArray().toFloatArray();
    int out = (int) shape[0];
    int perFilter = w.length / out;
    float[] foldedWeight = new float[w.length];
    float[] foldedBias = new float[out];
    for (int o = 0; o < out; o++) {
      double scale = gamma[o] / Math.sqrt((double) variance[o] + SiameseNetwork.BATCH_NORM_EPSILON);
      for (int k = 0; k < perFilter; k++) {
        foldedWeight[o * perFilter + k] = (float) (scale * w[o * perFilter + k]);
      }
      foldedBias[o] = (float) (scale * ((double) b[o] - mean[o]) + beta[o]);
    }
    return new FoldedConv(foldedWeight, shape, foldedBias);
  }
}
