from __future__ import annotations

import re


def row_of(body: str, code: str) -> str:
    """The table row whose header links to indicator ``code``."""
    match = re.search(
        rf'<tr>\s*<th scope="row"><a href="[^"]*/results/indicator/{code}/">{code}</a>.*?</tr>',
        body,
        re.DOTALL,
    )
    assert match, f"no row for {code}"
    return match.group(0)


def section(body: str, anchor: str) -> str:
    start = body.index(f'id="{anchor}"')
    end = body.find("<h2", start + 1)
    return body[start : end if end > 0 else len(body)]
