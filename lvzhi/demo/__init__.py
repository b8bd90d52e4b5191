"""Demo data: a CPPCC committee shaped like Jiangmen's, built through the action functions (``lvzhi demo``).

Not a Django app: :mod:`lvzhi.demo.data` holds the data, :mod:`lvzhi.demo.builder` builds and resets it.
"""
