"""Outbreak / aberration detectors ported from R ``surveillance`` (EARS, Farrington flexible,
CUSUM), sharing one contract (see ``base.py``) and validated against R's reference values."""

from .base import RESULT_COLUMNS, InsufficientHistoryError, infer_frequency
from .cusum import CusumControl, cusum
from .ears import EarsControl, ears_c1, ears_c2, ears_c3, earsc
from .farrington import FarringtonControl, farrington_flexible
from .grouped import detect_many
from .registry import METHODS, build_control, run_method
from .select import Selection, choose_method, detect_auto

__all__ = [
    "METHODS",
    "RESULT_COLUMNS",
    "CusumControl",
    "EarsControl",
    "FarringtonControl",
    "InsufficientHistoryError",
    "Selection",
    "build_control",
    "choose_method",
    "cusum",
    "detect_auto",
    "detect_many",
    "ears_c1",
    "ears_c2",
    "ears_c3",
    "earsc",
    "farrington_flexible",
    "infer_frequency",
    "run_method",
]
