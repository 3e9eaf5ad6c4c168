from .date_formats import pelicans_strftime, register, remembered_strftime

__all__ = ["pelicans_strftime", "register", "remembered_strftime"]
