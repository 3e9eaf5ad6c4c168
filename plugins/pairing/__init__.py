from .pairing import process_translations, register

__all__ = ["process_translations", "register"]
