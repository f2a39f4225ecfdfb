"""The digit networks shipped: one CNN, trained the same way with each activation and pooling the
explainers show, so that the Digits page can swap one for another and the feature maps show what
changes. No torch here: the window lists them before torch has loaded."""

from __future__ import annotations

DEFAULT = "relu-max"
CUSTOM = "custom"  # the user's own weights file (--digits-weights), when one was given
# key: (file in assets/, how the Digits page names it)
SHIPPED: dict[str, tuple[str, str]] = {
    "relu-max": ("digits.safetensors", "ReLU, max pooling"),
    "sigmoid-max": ("digits_sigmoid_max.safetensors", "sigmoid, max pooling"),
    "tanh-max": ("digits_tanh_max.safetensors", "tanh, max pooling"),
    "relu-avg": ("digits_relu_avg.safetensors", "ReLU, average pooling"),
    "relu-min": ("digits_relu_min.safetensors", "ReLU, min pooling"),
}
