from .source_paths import pelicans_relative_source_path, register, relative_source_path, url_of

__all__ = ["pelicans_relative_source_path", "register", "relative_source_path", "url_of"]
