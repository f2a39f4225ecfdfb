"""`python -m engine.compare`: the CNN-vs-RNN table, measured here for the two shipped digit networks
(or --cnn/--rnn files); `--json` prints it for the Compare page."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys

from engine.bad_file import run_command


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.compare", description=__doc__)
    ap.add_argument("--cnn", help="the CNN's weights file (default: the shipped digits.safetensors)")
    ap.add_argument(
        "--rnn", help="the row-by-row network's file (default: the shipped digits_rows.safetensors)"
    )
    ap.add_argument("--pendigits", help="pendigits-orig.tra or its folder: measure on the held-out writers")
    ap.add_argument("--device", default=None, help="auto, cpu, cuda (default $NNPG_DEVICE or auto)")
    ap.add_argument("--quick", action="store_true", help="fewer repeats and sizes (a few seconds)")
    ap.add_argument("--json", action="store_true", help="print the table as JSON")
    ap.add_argument("--nice", action="store_true", help="at a lower priority (the app's page runs it so)")
    args = ap.parse_args(argv)
    if args.nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(10)

    from engine.compare.rows import ROWS_WEIGHTS, load_row_network
    from engine.compare.table import format_table, measure
    from engine.device import configure_threads, pick_device
    from engine.digits.architectures import load_network
    from engine.digits.model import DigitNet
    from engine.paths import assets_dir

    device = pick_device(args.device)
    if device.type == "cpu":
        configure_threads(leave_for_gui=1 if args.nice else 0)  # from the page: a core for the window
    cnn_path = args.cnn or assets_dir() / "digits.safetensors"
    cnn, cnn_meta = load_network(cnn_path)
    if not isinstance(cnn, DigitNet):
        ap.error(f"{cnn_path} holds no CNN")
    rnn = load_row_network(args.rnn)
    from engine.weights import read_metadata

    rnn_meta = read_metadata(args.rnn or assets_dir() / ROWS_WEIGHTS)
    pen = _held_out_pen(args.pendigits)
    recorded = tuple(m.get("metrics", {}).get("pendigits_heldout_top1") for m in (cnn_meta, rnn_meta))
    table = measure(cnn, rnn, device, pen, recorded, quick=args.quick)
    print(json.dumps(table.to_dict()) if args.json else format_table(table))
    return 0


def _held_out_pen(where: str | None):
    """The held-out writers' pen digits as inputs, or None where the data is not here."""
    from engine.digits.data import load_pendigits
    from engine.digits.prepared import HELD_OUT_WRITERS
    from engine.digits.synth import eval_inputs, split_writers

    try:
        _, held = split_writers(load_pendigits(where), HELD_OUT_WRITERS)
    except (OSError, ValueError):
        if where:
            raise
        return None
    return eval_inputs(held)


if __name__ == "__main__":
    sys.exit(run_command(main))
