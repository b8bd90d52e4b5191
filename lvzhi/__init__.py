"""lvzhi (履职): a platform for a city's people's congress and CPPCC committee."""

__version__ = "0.1.0"
