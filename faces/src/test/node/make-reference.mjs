// Computes face-api's own outputs once, as reference values for the Java parity tests
// (faces/src/test/java/io/siamesestreams/faces/FaceApiParityTest.java).
//
// face-api 1.7.15 (node-wasm build, which does not bundle TF.js) runs on @tensorflow/tfjs 4.22.0 from npm, pure-JS CPU backend.
// The inputs are the exact RGB bytes the Java side decodes and aligns (ImageIO JPEG decoding), written by
// io.siamesestreams.faces.WriteParityInputs; their SHA-256 goes into the reference so the Java test can
// tell "different input pixels" from "different model output".
//
//   cd faces/src/test/node && npm ci
//   java -cp <faces test classpath> io.siamesestreams.faces.WriteParityInputs /tmp/parity-inputs
//   node make-reference.mjs /tmp/parity-inputs ../resources/faceapi-reference.json
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [inputDir, outFile] = process.argv.slice(2);
if (!inputDir || !outFile) {
  console.error('usage: node make-reference.mjs INPUT_DIR OUT_JSON');
  process.exit(2);
}

const require = createRequire(import.meta.url);
// The node-wasm build takes TF.js from npm (require('@tensorflow/tfjs')) instead of bundling it; the CPU
// backend is selected below, the WASM backend is only registered.
const tf = require('@tensorflow/tfjs');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const faceapiRoot = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
const faceapiVersion = JSON.parse(fs.readFileSync(path.join(faceapiRoot, 'package.json'), 'utf8')).version;

await tf.setBackend('cpu');
await tf.ready();

// Loads a model from the package's model/ folder through TF.js's own weight decoding (dequantisation included).
async function load(net, modelName) {
  const dir = path.join(faceapiRoot, 'model');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, `${modelName}-weights_manifest.json`), 'utf8'));
  const weightMap = {};
  for (const group of manifest) {
    const buffers = group.paths.map((p) => fs.readFileSync(path.join(dir, p)));
    const all = Buffer.concat(buffers);
    const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
    Object.assign(weightMap, tf.io.decodeWeights(data, group.weights));
  }
  net.loadFromWeightMap(weightMap);
}

const recognition = new faceapi.FaceRecognitionNet();
const detector = new faceapi.TinyFaceDetector();
const landmarks = new faceapi.FaceLandmark68TinyNet();
await load(recognition, 'face_recognition_model');
await load(detector, 'tiny_face_detector_model');
await load(landmarks, 'face_landmark_68_tiny_model');

const inputs = JSON.parse(fs.readFileSync(path.join(inputDir, 'inputs.json'), 'utf8'));
function tensorOf(entry) {
  const bytes = fs.readFileSync(path.join(inputDir, `${entry.name}.rgb`));
  if (bytes.length !== entry.width * entry.height * 3) throw new Error(`${entry.name}: wrong size`);
  return tf.tensor3d(Int32Array.from(bytes), [entry.height, entry.width, 3], 'int32');
}

const round = (v) => Number(v.toPrecision(9));
const reference = {
  generator: 'faces/src/test/node/make-reference.mjs',
  faceapi: `@vladmandic/face-api@${faceapiVersion} (dist/face-api.node-wasm.js)`,
  tfjs: `@tensorflow/tfjs@${tf.version.tfjs}`,
  backend: tf.getBackend(),
  chips: [],
  frames: [],
};

for (const chip of inputs.chips) {
  const input = tensorOf(chip);
  const descriptor = await recognition.computeFaceDescriptor(input);
  const points = await landmarks.detectLandmarks(input);
  reference.chips.push({
    name: chip.name,
    width: chip.width,
    height: chip.height,
    sha256: chip.sha256,
    descriptor: Array.from(descriptor, round),
    landmarks: points.positions.flatMap((p) => [round(p.x), round(p.y)]),
  });
  input.dispose();
  console.log(`${chip.name}: descriptor norm ${Math.hypot(...descriptor).toFixed(4)}`);
}

for (const frame of inputs.frames) {
  const input = tensorOf(frame);
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize: frame.inputSize, scoreThreshold: 0.5 });
  const faces = await detector.locateFaces(input, options);
  reference.frames.push({
    name: frame.name,
    photo: frame.photo,
    width: frame.width,
    height: frame.height,
    inputSize: frame.inputSize,
    sha256: frame.sha256,
    faces: faces.map((f) => ({
      x: round(f.box.x), y: round(f.box.y), width: round(f.box.width), height: round(f.box.height), score: round(f.score),
    })),
  });
  input.dispose();
  console.log(`${frame.name} (${frame.photo} @ ${frame.inputSize}): ${faces.length} faces`);
}

fs.writeFileSync(outFile, `${JSON.stringify(reference, null, 1)}\n`);
console.log(`wrote ${outFile}`);
