import gzip

import numpy as np
import pytest

from engine.digits.data import load_pendigits, read_idx
from engine.digits.strokes import render_strokes


def _idx(shape, data: bytes) -> bytes:
    head = bytes([0, 0, 8, len(shape)]) + b"".join(int(s).to_bytes(4, "big") for s in shape)
    return head + data


def test_read_idx_plain_and_gzipped(tmp_path):
    raw = _idx((2, 3), bytes(range(6)))
    (tmp_path / "a").write_bytes(raw)
    with gzip.open(tmp_path / "a.gz", "wb") as fh:
        fh.write(raw)
    for name in ("a", "a.gz"):
        arr = read_idx(tmp_path / name)
        assert arr.shape == (2, 3) and arr[1, 2] == 5


def test_read_idx_errors_name_the_file(tmp_path):
    (tmp_path / "magic").write_bytes(b"\x01\x02\x03\x04" + bytes(10))
    (tmp_path / "short").write_bytes(_idx((2, 3), bytes(5)))
    for name in ("magic", "short"):
        with pytest.raises(ValueError, match=name):
            read_idx(tmp_path / name)


def test_pendigits_parser(tmp_path):
    p = tmp_path / "mini.tra"
    p.write_text(
        '.SEGMENT DIGIT 0 ? "7"\n.COMMENT 7 3 1\n.PEN_DOWN\n 10 100\n 50 100\n 20 10\n.PEN_UP\n'
        '.SEGMENT DIGIT 1 ? "1"\n.COMMENT 1 4 2\n.PEN_DOWN\n 5 5\n.PEN_UP\n.PEN_DOWN\n 5 6\n 5 90\n.PEN_UP\n'
    )
    digits = load_pendigits(p)
    assert [(d.label, d.writer, len(d.strokes)) for d in digits] == [(7, 3, 1), (1, 4, 2)]
    assert digits[0].strokes[0][0, 1] == -100  # y flipped to point down


def test_render_round_caps_and_width():
    img = render_strokes([[(100, 100)]], 200, 20)
    ys, xs = np.nonzero(img > 127)
    assert 17 <= xs.max() - xs.min() + 1 <= 22 and 17 <= ys.max() - ys.min() + 1 <= 22
    line = render_strokes([[(50, 100), (150, 100)]], 200, 10)
    assert line[100, 45] > 0 and line[100, 40] == 0  # the cap rounds past the end point
