#!/usr/bin/env python3
"""Writes a tiny segmentation ONNX model for smoke tests (no onnx package needed: protobuf encoded by hand).

image [1,3,H,W] -> 1x1 Conv -> logits [1,C,H,W], deterministic weights. Usage: tiny-model.py OUT.onnx [H W C]
"""
import math
import struct
import sys


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return varint((number << 3) | 2) + varint(len(payload)) + payload


def tensor(name, dims, values):
    body = b"".join(field_varint(1, d) for d in dims)
    body += field_varint(2, 1)  # FLOAT
    body += field_bytes(4, struct.pack(f"<{len(values)}f", *values))
    body += field_bytes(8, name)
    return body


def value_info(name, dims):
    shape = b"".join(field_bytes(1, field_varint(1, d)) for d in dims)
    tensor_type = field_varint(1, 1) + field_bytes(2, shape)
    return field_bytes(1, name) + field_bytes(2, field_bytes(1, tensor_type))


def main():
    out = sys.argv[1]
    height, width, classes = (int(v) for v in sys.argv[2:5]) if len(sys.argv) == 5 else (64, 128, 20)
    weights = [math.sin(o * 3 + c + 1) * (1 + o % 4) for o in range(classes) for c in range(3)]
    bias = [(o - 9.5) / 10 for o in range(classes)]
    node = field_bytes(1, "image") + field_bytes(1, "W") + field_bytes(1, "B") + field_bytes(2, "logits")
    node += field_bytes(3, "head") + field_bytes(4, "Conv")
    graph = field_bytes(1, node) + field_bytes(2, "tiny")
    graph += field_bytes(5, tensor("W", [classes, 3, 1, 1], weights)) + field_bytes(5, tensor("B", [classes], bias))
    graph += field_bytes(11, value_info("image", [1, 3, height, width]))
    graph += field_bytes(12, value_info("logits", [1, classes, height, width]))
    model = field_varint(1, 8) + field_bytes(2, "edgeseg-smoke") + field_bytes(7, graph)
    model += field_bytes(8, field_bytes(1, "") + field_varint(2, 13))
    with open(out, "wb") as f:
        f.write(model)


if __name__ == "__main__":
    main()
