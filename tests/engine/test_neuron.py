"""The neuron page's engine (engine/neuron): the formula's numbers are the model's, the perceptron
rule on a hand-checked example, gradient descent against numerical gradients, CSV round trip and
malformed files, and the issue's bars through the command line."""

import numpy as np
import pytest

from engine.neuron.data import DATASETS, load_csv, make, save_csv, split
from engine.neuron.network import Network, activate
from engine.neuron.train import main


@pytest.mark.parametrize("activation", ["step", "sigmoid", "tanh", "relu"])
def test_the_formulas_numbers_are_the_models_output(activation):
    net = Network([], activation, seed=3)
    net.weights[0][:, 0] = [0.8, -0.5]
    net.biases[0][0] = 0.1
    text, out = net.formula((1.2, 0.3))
    z = 0.8 * 1.2 - 0.5 * 0.3 + 0.1
    assert (
        text
        == f"0.80*1.20 + (-0.50)*0.30 + 0.10 = {z:.2f} -> {activation} -> {activate(np.array([z]), activation)[0]:.2f}"
    )
    assert out == pytest.approx(float(activate(np.array([z]), activation)[0]))
    assert net.predict(np.array([[1.2, 0.3]]))[0] == int(z > 0)  # the class: the sum above 0


def test_the_perceptron_rule_on_a_hand_checked_example():
    net = Network([], "step")
    net.weights[0][:, 0] = [0.5, -1.0]
    net.biases[0][0] = 0.0
    # (1, 1): 0.5 - 1 = -0.5, output 0, target 1: w += 0.1 * (1, 1), b += 0.1.
    # (2, 0) then: 0.6*2 + 0 + 0.1 = 1.3, output 1, target 1: no change.
    ((dw, db),) = net.perceptron_step(np.array([[1.0, 1.0], [2.0, 0.0]]), np.array([1, 1]), lr=0.1)
    assert np.allclose(net.weights[0][:, 0], [0.6, -0.9]) and net.biases[0][0] == pytest.approx(0.1)
    assert np.allclose(dw[:, 0], [0.1, 0.1]) and db[0] == pytest.approx(0.1)


@pytest.mark.parametrize("classes, activation", [(2, "tanh"), (3, "relu"), (2, "sigmoid")])
def test_gradient_descent_follows_the_numerical_gradient(classes, activation):
    x, y = make("spiral", 40, classes=classes, seed=1)
    net = Network([5, 4], activation, ("x1", "x2", "x1*x2"), classes, seed=2)
    w0 = [w.copy() for w in net.weights]
    changes = net.step(x, y, lr=1.0, l2=0.01)
    for layer in range(3):
        net.weights[layer][...] = w0[layer]
        net.biases[layer][...] -= changes[layer][1]
    for layer, (i, j) in ((0, (1, 2)), (2, (3, 0))):
        eps, w = 1e-6, net.weights[layer]
        w[i, j] += eps
        up = net.loss(x, y, 0.01)
        w[i, j] -= 2 * eps
        down = net.loss(x, y, 0.01)
        w[i, j] += eps
        assert -changes[layer][0][i, j] == pytest.approx((up - down) / (2 * eps), rel=1e-4, abs=1e-8)


def test_points_round_trip_through_csv(tmp_path):
    x, y = make("circle", 50, noise=0.2, classes=3)
    save_csv(tmp_path / "p.csv", x, y)
    x2, y2 = load_csv(tmp_path / "p.csv")
    assert np.allclose(x, x2, atol=1e-5) and (y == y2).all()


@pytest.mark.parametrize(
    "text, said",
    [
        ("x1,x2,label\n0.5,0.5,1\n0.2,zero,0\n", "line 3: x1 and x2 must be numbers"),
        ("0.5,0.5,1\n0.2,0.1\n", "line 2: needs x1,x2,label"),
        ("x1,x2,label\n0.5,0.5,7\n", "line 2: the label must be 0, 1 or 2"),
        ("x1,x2,label\n50,0.5,1\n", "within -3..3"),
        ("x1,x2,label\n", "no points"),
        ("x1,x2,label\nnan,0,1\n", "within"),
    ],
)
def test_a_malformed_csv_names_the_file_and_line(tmp_path, text, said):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=said) as e:
        load_csv(path)
    assert str(path) in str(e.value)


def test_every_data_set_has_its_classes_and_splits():
    for name in DATASETS:
        for classes in (2, 3):
            x, y = make(name, 300, 0.1, classes, seed=4)
            assert x.shape == (300, 2) and set(np.unique(y)) == set(range(classes)) and np.abs(x).max() <= 3
    xt, yt, xe, ye = split(*make("xor", 100), 0.3)
    assert len(xt) == 70 and len(xe) == 30
    assert len(split(*make("xor", 2), 0.9)[0]) == 1  # always one point to train on


@pytest.mark.parametrize(
    "bad", [{"hidden": [9]}, {"hidden": [2, 2, 2, 2, 2]}, {"activation": "softplus"}, {"hidden": [2], "activation": "step"},
            {"features": ("x3",)}, {"classes": 4}],
)  # fmt: skip
def test_absurd_networks_are_refused_in_words(bad):
    with pytest.raises(ValueError):
        Network(**bad)


def last_line(capsys) -> tuple[float, float, float]:
    line = capsys.readouterr().out.strip().splitlines()[-1]
    words = line.split()
    assert words[0::2] == ["train", "test", "updates/s"], line
    return float(words[1]), float(words[3]), float(words[5])


def test_xor_defeats_one_neuron_and_two_hidden_layers_learn_it(capsys):
    assert main(["--data", "xor", "--hidden", "", "--activation", "sigmoid", "--seconds", "1"]) == 0
    train, _test, rate = last_line(capsys)
    assert train <= 0.80 and rate > 1500
    assert main(["--data", "xor", "--hidden", "", "--activation", "step", "--seconds", "0.5"]) == 0
    assert last_line(capsys)[0] <= 0.80
    assert main(["--data", "xor", "--hidden", "4,4", "--activation", "tanh", "--seconds", "2"]) == 0
    train, test, rate = last_line(capsys)
    assert train >= 0.98 and test >= 0.95 and rate > 1500


def test_the_command_line_refuses_bad_settings(capsys):
    with pytest.raises(SystemExit):
        main(["--hidden", "4,x"])
    assert "whole numbers separated by commas" in capsys.readouterr().err
