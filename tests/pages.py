"""Reading public pages in tests: fetch one, and pick out a row, a field, a figure or plain text."""

import re


def page(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def body(response) -> bytes:
    """What a response sent, streamed (a CSV download) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def row(html: str, attribute: str, value: str) -> str:
    match = re.search(rf'<tr {attribute}="{value}">(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={value}"
    return match.group(1)


def field(row_html: str, name: str) -> str:
    match = re.search(rf'data-field="{name}">(.*?)</td>', row_html, re.S)
    assert match, f"no field {name}"
    return text(match.group(1))


def figure(html: str, name: str) -> str:
    """The text of the element marked data-figure="name" (a headline figure, a table cell)."""
    match = re.search(rf'<(\w+)[^>]*\bdata-figure="{name}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no figure {name}"
    return text(match.group(2))


# The API's lists of data (each under /api/v1/<name>/), as the versioned root names them; the
# rounds list is the workflow's, checked on its own.
API_DATA_LISTS = [
    "economies",
    "forums",
    "themes",
    "instruments",
    "commitments",
    "status",
    "reports",
    "scores",
    "regional",
]
