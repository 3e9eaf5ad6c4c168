from .static_files import PUBLISHABLE_TYPES, publishable, register, unpublishable_reason

__all__ = ["PUBLISHABLE_TYPES", "publishable", "register", "unpublishable_reason"]
