"""The bulk keyed hash equals the one-value keyed hash."""

from laborcoop.core.crypto import keyed_hash, keyed_hashes


def test_keyed_hashes_equal_keyed_hash_of_each_value() -> None:
    values = ["43312219900101001X", "", "张三", "1" * 200]
    assert keyed_hashes(values) == [keyed_hash(v) for v in values]
    assert keyed_hashes([]) == []
