"""Text intelligence for lvzhi: normalisation, classification, similarity search, hot topics.

Pure Python (scikit-learn, jieba, numpy, scipy); nothing here imports Django, so every module can be
used and tested on its own. Modules:

- :mod:`lvzhi.smart.text` — normalisation, tokenisation, masking of personal data.
- :mod:`lvzhi.smart.classify` — category / handling-unit recommendation (top-k with confidences).
- :mod:`lvzhi.smart.similar` — exact and near-duplicate detection, "most similar cases" search.
- :mod:`lvzhi.smart.topics` — hot-topic clustering with time series, places and growth warnings.
"""
