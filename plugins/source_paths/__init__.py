from .source_paths import pelicans_relative_source_path, register, relative_source_path

__all__ = ["pelicans_relative_source_path", "register", "relative_source_path"]
