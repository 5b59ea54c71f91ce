#!/usr/bin/env python3
"""Writes the Fashion-MNIST sample of this directory from the full dataset.

Usage: python3 make_sample.py [SOURCE_DIR]   (default /usr/share/datasets/fashion-mnist)

For each split, takes the first TRAIN_PER_CLASS (train) or TEST_PER_CLASS (t10k) images of every
class in file order, keeps them in file order, and writes idx files gzipped with mtime 0 (so a rerun
gives identical bytes). The chosen source indices go to indices-<split>.txt.
"""
import gzip, struct, sys, pathlib

TRAIN_PER_CLASS = 150
TEST_PER_CLASS = 100
src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
out = pathlib.Path(__file__).resolve().parent


def read(name):
    for candidate in (src / name, src / (name + ".gz")):
        if candidate.is_file():
            data = candidate.read_bytes()
            return gzip.decompress(data) if candidate.suffix == ".gz" else data
    raise SystemExit(f"{name} not found in {src}")


def write(name, payload):
    with open(out / (name + ".gz"), "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as z:
            z.write(payload)


for split, per_class in (("train", TRAIN_PER_CLASS), ("t10k", TEST_PER_CLASS)):
    images = read(f"{split}-images-idx3-ubyte")
    labels = read(f"{split}-labels-idx1-ubyte")
    magic, count, rows, cols = struct.unpack(">IIII", images[:16])
    taken, per = [], [0] * 10
    for i in range(count):
        label = labels[8 + i]
        if per[label] < per_class:
            per[label] += 1
            taken.append(i)
    size = rows * cols
    write(f"{split}-images-idx3-ubyte",
          struct.pack(">IIII", magic, len(taken), rows, cols)
          + b"".join(images[16 + i * size:16 + (i + 1) * size] for i in taken))
    write(f"{split}-labels-idx1-ubyte",
          struct.pack(">II", 2049, len(taken)) + bytes(labels[8 + i] for i in taken))
    (out / f"indices-{split}.txt").write_text("\n".join(map(str, taken)) + "\n")
    print(split, len(taken), "images, last source index", taken[-1])
