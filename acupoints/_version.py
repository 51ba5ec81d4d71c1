"""The package version, in a module of its own that imports nothing.

The cache key and the JSON export need the version; importing it from the package's
`__init__` would make every such module part of an import cycle (`__init__` imports them lazily).
"""

__version__ = "0.1.0"
