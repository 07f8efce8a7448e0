#!/usr/bin/env python3
"""Writes the seed corpora of the weight-file and model-card fuzz targets (fuzz/corpus/).

Standard library only. The pickles come from Python's own pickle module with stand-ins for the
few torch globals a state dict names, so they are what torch.save writes (protocol 2, its default,
and 4 and 5, which add FRAME, MEMOIZE and STACK_GLOBAL). With ../shared present, the real
data.pkl of the golden checkpoint is added too. The image seeds come from the project's own
encoder instead (refine-fuzz-image-seeds, fuzz/make_image_seeds.cpp).

usage: fuzz/make_seed_corpus.py [CORPUS_DIR]   (default: fuzz/corpus beside this script)
"""
import collections
import io
import json
import pathlib
import pickle
import struct
import sys
import types
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE.parent


# ---- pickles: a state dict as torch.save writes it --------------------------------------------

def _stand_in(module, name, value):
    value.__module__ = module
    value.__qualname__ = name
    value.__name__ = name
    setattr(sys.modules.setdefault(module, types.ModuleType(module)), name, value)
    return value


def _rebuild_tensor_v2(*args):
    raise AssertionError("only pickled, never loaded")


def _rebuild_parameter(*args):
    raise AssertionError("only pickled, never loaded")


STORAGE_CLASSES = {name: _stand_in("torch", name, type(name, (), {}))
                   for name in ("FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage", "LongStorage",
                                "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage")}
sys.modules["torch"]._utils = sys.modules.setdefault("torch._utils", types.ModuleType("torch._utils"))
_stand_in("torch._utils", "_rebuild_tensor_v2", _rebuild_tensor_v2)
_stand_in("torch._utils", "_rebuild_parameter", _rebuild_parameter)


class Storage:
    """A storage record data/<key>, pickled by persistent id as torch.save does."""

    def __init__(self, key, kind, numel):
        self.key, self.kind, self.numel = key, kind, numel


class Tensor:
    def __init__(self, storage, offset, sizes, strides):
        self.args = (storage, offset, tuple(sizes), tuple(strides), False, collections.OrderedDict())

    def __reduce__(self):
        return (_rebuild_tensor_v2, self.args)


class Parameter:
    def __init__(self, tensor):
        self.tensor = tensor

    def __reduce__(self):
        return (_rebuild_parameter, (self.tensor, True, collections.OrderedDict()))


class StateDictPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", STORAGE_CLASSES[obj.kind], obj.key, "cpu", obj.numel)
        return None


def pickled(state_dict, protocol):
    out = io.BytesIO()
    StateDictPickler(out, protocol=protocol).dump(state_dict)
    return out.getvalue()


def contiguous(storage, sizes, offset=0):
    strides, step = [], 1
    for size in reversed(sizes):
        strides.insert(0, step)
        step *= size
    return Tensor(storage, offset, sizes, strides)


def pickle_seeds():
    weights = Storage("0", "FloatStorage", 24)
    one_conv = collections.OrderedDict(
        [("conv.weight", contiguous(weights, [2, 3, 2, 2])), ("conv.bias", contiguous(Storage("1", "FloatStorage", 2), [2]))])
    views = collections.OrderedDict(  # two tensors viewing one storage (memo references), one transposed
        [("a", contiguous(weights, [4, 6])), ("b", Tensor(weights, 0, [6, 4], [1, 6])), ("c", contiguous(weights, [3], 21))])
    dtypes = collections.OrderedDict(
        (kind, contiguous(Storage(str(i), kind, 4), [2, 2])) for i, kind in enumerate(STORAGE_CLASSES))
    seeds = {
        "empty_dict_p2.pkl": pickled(collections.OrderedDict(), 2),
        "plain_dict_p2.pkl": pickled({"w": contiguous(weights, [24])}, 2),
        "scalar_p2.pkl": pickled(collections.OrderedDict([("t", Tensor(Storage("0", "LongStorage", 1), 0, [], []))]), 2),
        "parameter_p2.pkl": pickled(collections.OrderedDict([("p", Parameter(contiguous(weights, [24])))]), 2),
        "views_p2.pkl": pickled(views, 2),
        "dtypes_p2.pkl": pickled(dtypes, 2),
    }
    for protocol in (2, 3, 4, 5):
        seeds[f"conv_p{protocol}.pkl"] = pickled(one_conv, protocol)
    # A hostile pickle (calls os.system when loaded by Python): the refusal path's seed.
    seeds["hostile_os_system_p2.pkl"] = b"\x80\x02cos\nsystem\nX\x04\x00\x00\x00echoq\x00\x85R."
    golden = SOURCE.parent / "shared" / "fixtures" / "sr3-reference" / "tiny_gen.pth"
    if golden.exists():
        with zipfile.ZipFile(golden) as archive:
            name = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
            seeds["tiny_gen_data.pkl"] = archive.read(name)
    return seeds


# ---- safetensors ----------------------------------------------------------------------------

DTYPE_SIZES = {"F16": 2, "BF16": 2, "F32": 4, "F64": 8, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def safetensors(tensors, metadata=None):
    """tensors: name -> (dtype, shape)."""
    header, offset = {}, 0
    for name, (dtype, shape) in tensors.items():
        size = DTYPE_SIZES[dtype]
        for dim in shape:
            size *= dim
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    if metadata is not None:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    data = bytes(i % 2 for i in range(offset))  # 0/1: valid for every dtype, bool included
    return struct.pack("<Q", len(text)) + text + data


def safetensors_seeds():
    return {
        "empty.safetensors": safetensors({}),
        "f32.safetensors": safetensors({"conv.weight": ("F32", [2, 3, 2, 2]), "conv.bias": ("F32", [2])}),
        "metadata.safetensors": safetensors({"w": ("F16", [3])}, {"format": "pt", "source": "tiny_gen.pth"}),
        "dtypes.safetensors": safetensors({d.lower(): (d, [2, 2]) for d in DTYPE_SIZES if d != "BOOL"}),
        "bool.safetensors": safetensors({"mask": ("BOOL", [4])}),
        "scalar_and_empty.safetensors": safetensors({"s": ("I64", []), "none": ("F32", [0, 3])}),
    }


# ---- model cards ----------------------------------------------------------------------------

UNET = {"in_channel": 6, "out_channel": 3, "inner_channel": 8, "norm_groups": 4, "channel_mults": [1, 2],
        "attn_res": [8], "res_blocks": 1, "dropout": 0.0, "image_size": 16}


def card_seeds():
    cards = {
        "sr3.json": {"id": "tiny", "name": "Tiny", "native_scale": 4, "weights": "model.safetensors",
                     "unet": UNET, "beta_schedule": {"schedule": "linear", "n_timestep": 2000,
                                                     "linear_start": 1e-6, "linear_end": 0.01},
                     "presets": [{"name": "Fast", "sampler": "ddim", "steps": 10},
                                 {"name": "Balanced", "sampler": "dpmpp2m", "steps": 20},
                                 {"name": "Best", "sampler": "ddpm", "steps": 100}],
                     "default_preset": "Balanced", "cascade_noise": 0.1, "sha256": "0" * 64,
                     "description": ["two", "lines"], "license": "CC0", "training": {"steps": 5},
                     "quality": "none"},
        "pth_sidecar.json": {"unet": dict(UNET, attn_res=16, channel_multiplier=[1, 2]), "native_scale": 4,
                             "beta_schedule": {"schedule": "cosine", "n_timestep": 100}},
        "residual_shift.json": {"id": "rs", "kind": "residual-shift", "weights": "model.safetensors",
                                "residual_shift": {"scale": 4, "clean": {"blocks": 1, "channels": 8},
                                                   "detail": {"blocks": 1, "channels": 16, "embedding": 16},
                                                   "schedule": {"kappa": 0.5, "power": 1.0, "sqrt_eta_max": 0.99,
                                                                "sqrt_eta_min": 0.1}},
                                "presets": [{"name": "Fast", "sampler": "clean", "steps": 0},
                                            {"name": "Balanced", "sampler": "resshift", "steps": 2}]},
        "minimal.json": {},
    }
    seeds = {name: json.dumps(card, indent=1).encode() for name, card in cards.items()}
    # Just past the nesting limit (64): the refusal that keeps deep cards from overflowing the stack.
    seeds["deep_nesting.json"] = b'{"id": "x", "training": ' + b"[" * 65 + b"]" * 65 + b"}"
    seeds["refine-x4.json"] = (SOURCE / "models" / "refine-x4" / "model.json").read_bytes()
    return seeds


def write(directory, seeds):
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (directory / name).write_bytes(data)
    print(f"{directory}: {len(seeds)} seeds, {sum(map(len, seeds.values()))} bytes")


def main():
    corpus = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "corpus"
    write(corpus / "pickle", pickle_seeds())
    write(corpus / "safetensors", safetensors_seeds())
    write(corpus / "model_card", card_seeds())


if __name__ == "__main__":
    main()
