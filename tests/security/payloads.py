"""Injection payloads put into every free-text field of a test story.

From the OWASP XSS Filter Evasion Cheat Sheet
(https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html) and the cases
issue 4 names: raw HTML, Markdown links with dangerous schemes, entity and Unicode tricks, breaking
out of attributes, <title> and <script>, Jinja syntax, and Python-Markdown extension syntax
(attr_list, snippets, admonitions). Tabs, control characters and invisibles such as the zero-width
space are left out: the loader refuses them (tests/security/test_yaml_defence.py,
test_invisible_characters.py), so they never reach a page.
"""

PAYLOADS: list[str] = [
    # raw HTML that runs script
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<a href=\"vbscript:msgbox(1)\">click</a>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<style>body{background:url(\"javascript:alert(1)\")}</style>",
    "<div style=\"width: expression(alert(1));\">x</div>",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert(1);\">",
    "<TABLE BACKGROUND=\"javascript:alert(1)\"><TD>x</TD></TABLE>",
    "<img srcset=\"javascript:alert(1) 1x\">",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">x</text></a></svg>",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    # breaking out of attributes, elements and the page <title>
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)' x='",
    "\" onmouseover=\"alert(1)\" x=\"",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    # entity-encoded: must stay text, including through the theme's `striptags`
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "＜script＞alert(1)＜/script＞",
    # Markdown links with schemes other than http, https and mailto
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[x](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[x]( javascript:alert(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "[x](https://example.com/\"onmouseover=\"alert(1))",
    # template and Markdown-extension syntax that must reach the page as text
    "{{ 7*7 }}",
    "{% raw %}{{ config }}{% endraw %}",
    "{{ ''.__class__.__mro__ }}",
    "text {: onclick=\"alert(1)\" }",
    "{: onclick=\"alert(1)\" }",
    "--8<-- \"/etc/passwd\"",
    "!!! note \"<img src=x onerror=alert(1)>\"",
    # newlines that would end an HTML block and start Markdown (written as a YAML block scalar)
    "line one\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
    "before\n\n!!! warning\n    <svg onload=alert(1)>\n\n{: onclick=\"alert(1)\" }",
    "x\n\n--8<-- \"/etc/passwd\"\n",
    # Unicode tricks
    "<scr\u200cipt>alert(1)</scr\u200cipt>",  # a zero-width non-joiner, which stories may hold
    "\u0130<script>alert(1)</script>",
]

# Words that only these payloads put in a page, never the templates or the theme.
MARKERS = ("alert(1)", "alert(", "onerror", "onload", "ontoggle", "onfocus", "msgbox")
