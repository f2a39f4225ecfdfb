"""A stylus on the canvas: its pressure sets the pen's width, point by point."""

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication

from app.canvas import DrawingCanvas


def test_stylus_pressure_sets_the_pen_width_point_by_point(qtbot):
    c = DrawingCanvas()
    qtbot.addWidget(c)
    c.resize(280, 280)
    c.show()
    qtbot.waitExposed(c)
    pen = QPointingDevice(
        "test stylus",
        1,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        2,
    )

    def send(kind: QEvent.Type, x: float, y: float, pressure: float, held: bool = True) -> bool:
        pos = QPointF(x, y)
        buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
        e = QTabletEvent(
            kind, pen, pos, c.mapToGlobal(pos), pressure, 0, 0, 0, 0, 0,
            Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, buttons,
        )  # fmt: skip
        QApplication.sendEvent(c, e)
        return e.isAccepted()

    pressures = np.linspace(0.0, 1.0, 11)
    assert send(QEvent.Type.TabletPress, 60, 60, pressures[0])  # taken: no mouse events made of it
    for i, p in enumerate(pressures[1:], 1):
        send(QEvent.Type.TabletMove, 60 + 15 * i, 60 + 12 * i, p)
    send(QEvent.Type.TabletRelease, 210, 180, 0.0, held=False)
    send(QEvent.Type.TabletMove, 230, 200, 0.5, held=False)  # hovering after: draws nothing
    assert len(c.strokes) == 1 and not c._drawing
    widths = [w for _, _, w in c.strokes[0]]
    # Half the pen at no pressure, one and a half times it at full, in between in proportion.
    assert np.allclose(widths, c.pen_width * (0.5 + pressures), atol=1e-6)
    light, heavy = c.image[60:75, 60:75], c.image[170:190, 195:215]
    assert 0 < np.count_nonzero(light) < np.count_nonzero(heavy)  # the heavy end is drawn wider
