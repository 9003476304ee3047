"""Stage: image bytes (+ language) → Caption. Heavy libraries are imported lazily."""

from altbot.caption.base import (
    CaptionRequest,
    Captioner,
    CaptionerError,
    available_backends,
    get_captioner,
    register,
)

__all__ = ["CaptionRequest", "Captioner", "CaptionerError", "available_backends", "get_captioner", "register"]
