"""Reading input files (stub; the ingest helper replaces this module).

Contract:
    iter_raw_files(paths, *, limits=None) -> Iterator[RawFile]
    decode_bytes(data) -> tuple[str, str]   # (text, encoding name); raises DecodeError
"""
