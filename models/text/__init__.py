"""Text analytics for xintai: normalisation, segmentation, category, topics, emotion.

Pure functions over lists of strings; the only files read are this package's own data
(dictionaries, lexicon, taxonomy) under ``models/text/data``. See DESIGN.md "Text analytics".
"""
