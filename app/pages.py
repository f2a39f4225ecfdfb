"""The window's pages, in tab order (F1, F2, ...). A new page is one package in app/ and one line here."""

from __future__ import annotations

from app.compare.page import ComparePage
from app.digits.page import DigitsPage
from app.neuron.page import NeuronPage
from app.number.page import NumberPage
from app.page import Page
from app.text.page import TextPage
from app.train.page import TrainPage

PAGES: tuple[type[Page], ...] = (DigitsPage, TextPage, NumberPage, TrainPage, ComparePage, NeuronPage)
