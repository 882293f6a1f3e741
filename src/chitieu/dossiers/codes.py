"""How exports write coded values, and what they mean (pure Python).

A column of yes/no, channel, service level or rating has only a handful of distinct spellings
in a whole export ("Có", "x", "1", "Trực tuyến", "2", "Toàn trình", "Mức độ 4" ...). The import
reads each distinct spelling once, decides it here, and joins the decision back to every row:
one rule book, in Python, and no per-row string folding in SQL.
"""

from __future__ import annotations

from chitieu.core import vntext

TRUE_WORDS = {
    "1",
    "x",
    "co",
    "true",
    "yes",
    "y",
    "da",
    "dung",
    "co so hoa",
    "da so hoa",
    "da thanh toan",
    "da dong bo",
}
FALSE_WORDS = {
    "0",
    "khong",
    "false",
    "no",
    "n",
    "chua",
    "-",
    "sai",
    "chua so hoa",
    "chua thanh toan",
    "chua dong bo",
}


def _k(text: str) -> str:
    return vntext.fold(text).strip(" .")


def parse_bool(text: str) -> bool | None:
    """True / False, or None when the spelling means neither."""
    k = _k(text)
    if k in TRUE_WORDS:
        return True
    if k in FALSE_WORDS or k == "":
        return False
    return None


def parse_channel(text: str) -> str | None:
    """in_person / online / postal (the 766 codes 1 / 2 / 3), None when unknown."""
    k = _k(text)
    if "truc tuyen" in k or k in ("2", "online", "qua mang", "mang"):
        return "online"
    if "buu chinh" in k or k in ("3", "buu dien", "qua buu dien"):
        return "postal"
    if "truc tiep" in k or k in ("1", "", "tai quay", "mot cua", "bo phan mot cua"):
        return "in_person"
    return None


def parse_level(text: str) -> str:
    """full / partial online service, or none."""
    k = _k(text)
    if "toan trinh" in k or k in ("4", "muc do 4", "md4", "muc 4"):
        return "full"
    if "mot phan" in k or k in ("3", "muc do 3", "md3", "muc 3"):
        return "partial"
    return "none"


def parse_rating(text: str) -> str | None:
    """satisfied / dissatisfied, or None (no rating: not an error)."""
    k = _k(text)
    if "khong hai long" in k or "chua hai long" in k or k in ("0", "khong"):
        return "dissatisfied"
    if "hai long" in k or k in ("1", "tot", "rat tot"):
        return "satisfied"
    return None


PARSERS = {"bool": parse_bool, "channel": parse_channel, "level": parse_level, "rating": parse_rating}
DEFAULTS = {"bool": False, "channel": "in_person", "level": "none", "rating": None}
