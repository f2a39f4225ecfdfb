"""Engines of the playground: torch, numpy and opencv only (never Qt).

Usable from a plain Python shell and from tests with no display.
"""

import os

# The most pixels OpenCV will decode from one picture (its own check, made from the file's header
# before any memory is taken): a 900 KB PNG can hold 30000x30000 pixels, which took 20 s and
# several GB to read here. Read by OpenCV once, when it loads, so set before any engine module
# imports cv2. 120 megapixels: a 108-megapixel phone photo still opens.
MAX_PICTURE_PIXELS = 120_000_000
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PICTURE_PIXELS))
