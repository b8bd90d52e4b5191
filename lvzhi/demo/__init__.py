"""Demo data: a CPPCC committee shaped like Jiangmen's, built through the action functions (``lvzhi demo``).

An installed app without models (for its ``lvzhi demo`` command): :mod:`lvzhi.demo.data` holds the data,
:mod:`lvzhi.demo.builder` builds and resets it.
"""
