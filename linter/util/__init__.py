"""Helpers that know nothing of documents, rules or runs: path globs, lazy exports.

May import: the standard library only. Imported by any layer.
"""
