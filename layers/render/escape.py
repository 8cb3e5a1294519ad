"""Text from data, a link or a file, made safe for the place it is shown.

- `esc`: HTML (popups, tooltips, legends, any `unsafe_allow_html` block). html.escape plus the
  three characters that matter inside a JavaScript template string (folium puts popup HTML in
  backtick strings): ` $ and \\; and CR/LF as character references (`&#13;`, `&#10;`), so
  escaped text never holds a raw line break: a blank line in a value cannot end the HTML block
  Streamlit's Markdown puts it in (what followed would render as live Markdown). The browser
  reads `&#10;` as the same white space.
- `script_json`: a value as JSON inside a `<script>` (folium templates): `<`, `>`, `&`, `'` and
  the two line separators escaped like Jinja's `tojson`, but text kept as UTF-8 rather than
  `\\uXXXX` escapes (an Arabic paragraph is a third of the size) and no spaces.
- `md`: Streamlit Markdown (captions, labels, `help=`, buttons, alerts, `st.markdown`). Every
  ASCII punctuation character is backslash-escaped (CommonMark allows that for all of them), so
  `![x](http://host/p.png)`, `[text](url)`, `:red[...]`, `**bold**`, `<http://…>` and emoji
  short codes show as the characters typed; bare addresses (`www.host`, `http://host`,
  `a@host`) are kept from becoming links; line breaks become spaces so a value cannot start a
  heading, a list or a table.

Use one of these wherever data meets markup; never build markup from raw data.
"""

from __future__ import annotations

import html
import json
import re
import string

_JS_TEMPLATE = str.maketrans(
    {"`": "&#96;", "$": "&#36;", "\\": "&#92;", "\n": "&#10;", "\r": "&#13;"}
)
_MD_SPECIAL = frozenset(string.punctuation)
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\u0085\x0b\x0c]+")
# GitHub's autolink literals (www., http://, https://, mailto:, user@host) become links even when
# their punctuation is escaped; a zero-width space after the point where they would start (the
# "www", a scheme's colon, an @) keeps them text. It is invisible on screen.
_AUTOLINK = re.compile(r"(?i)\bwww(?=\.)|(?<=[a-z0-9])[:@]")
_ZWSP = "\u200b"


def esc(value: object) -> str:
    """HTML-escape a value for any HTML context, including a JS template string."""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE)


_SCRIPT_UNSAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def script_json(value: object) -> str:
    """JSON safe to put inside an HTML `<script>` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_UNSAFE)


def md(value: object) -> str:
    """Escape a value so Streamlit's Markdown shows it as plain text on one line."""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _AUTOLINK.sub(lambda m: m.group(0) + _ZWSP, text)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)
