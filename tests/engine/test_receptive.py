from engine.digits.receptive import receptive_fields


def test_each_conv_widens_the_window_by_two_steps_and_each_pool_doubles_the_step():
    names = ["conv1", "act1", "pool1", "conv2", "act2", "pool2", "conv3"]
    rf = receptive_fields(names)
    assert rf["conv1"] == (3, 1) and rf["act1"] == (3, 1)
    assert rf["pool1"] == (4, 2)
    assert rf["conv2"] == (8, 2) and rf["pool2"] == (10, 4)
    assert rf["conv3"] == (18, 4)
