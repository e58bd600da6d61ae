"""Method names, their control classes, and parsing of R-style option strings.

The CLI and the pipeline name methods the same way (``ears-c1`` ... ``cusum``) and pass options
by R's argument names, so that an analyst can copy settings from an R script unchanged.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .cusum import CusumControl, cusum
from .ears import EarsControl, earsc
from .farrington import FarringtonControl, farrington_flexible


@dataclass(frozen=True)
class MethodSpec:
    """A detector: its control dataclass, fixed control values and the function to call."""

    name: str
    control_cls: type
    fixed: Mapping[str, Any]
    run: Callable[..., pd.DataFrame]


METHODS: dict[str, MethodSpec] = {
    "ears-c1": MethodSpec("ears-c1", EarsControl, {"method": "C1"}, earsc),
    "ears-c2": MethodSpec("ears-c2", EarsControl, {"method": "C2"}, earsc),
    "ears-c3": MethodSpec("ears-c3", EarsControl, {"method": "C3"}, earsc),
    "farrington": MethodSpec("farrington", FarringtonControl, {}, farrington_flexible),
    "cusum": MethodSpec("cusum", CusumControl, {}, cusum),
}

_TRUE = {"true", "t", "1", "yes"}
_FALSE = {"false", "f", "0", "no"}


def _parse_value(name: str, text: str, hint: Any) -> Any:
    """Turn an R-style literal (TRUE, NULL, c(5,4), 2/3, "delta") into a Python value."""
    raw = text.strip().strip("\"'")
    if raw.upper() == "NULL":
        return None
    if name == "range":
        return raw
    args = (hint,) if typing.get_origin(hint) is tuple else (typing.get_args(hint) or (hint,))
    if bool in args:
        low = raw.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"option {name} expects TRUE or FALSE; got {text!r}")
    if any(typing.get_origin(a) is tuple for a in args):
        inner = raw[2:-1] if raw.startswith("c(") and raw.endswith(")") else raw
        return tuple(int(float(v)) for v in inner.replace(";", ",").split(","))
    if int in args and float not in args:
        return int(float(raw))
    if float in args:
        try:
            return float(raw)
        except ValueError:
            if str in args:
                return raw
            raise ValueError(f"option {name} expects a number; got {text!r}") from None
    return raw


def build_control(
    method: str, options: Mapping[str, str] | None = None, alpha: float | None = None
):
    """Control dataclass for ``method`` from R-named string options (defaults are R's)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {sorted(METHODS)}")
    spec = METHODS[method]
    hints = typing.get_type_hints(spec.control_cls)
    names = {f.name for f in dataclasses.fields(spec.control_cls)}
    values: dict[str, Any] = dict(spec.fixed)
    for name, text in (options or {}).items():
        if name not in names or name in spec.fixed:
            allowed = sorted(names - set(spec.fixed))
            raise ValueError(f"{method} has no option {name!r}; options are: {', '.join(allowed)}")
        values[name] = _parse_value(name, text, hints[name])
    if alpha is not None:
        values["alpha"] = float(alpha)
    return spec.control_cls(**values)


def run_method(method: str, counts, periods, control=None, population=None) -> pd.DataFrame:
    """Run a named method with a control (default: R's defaults)."""
    spec = METHODS[method]
    control = control if control is not None else build_control(method)
    return spec.run(counts, periods, control, population)
