"""The pages' one renderer: Jinja2 templates (``templates/``), autoescaped, so no markup is written in Python and no
value from a table reaches a page unescaped. Jinja2 comes with nbconvert, which the build already uses."""

from __future__ import annotations

from functools import cache


@cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("helpers.publish", "templates"),
        autoescape=True,  # every template here is HTML
        undefined=jinja2.StrictUndefined,  # a name the page needs and was not given is an error, not a blank
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context) -> str:
    """The page ``templates/<template>`` drawn with ``context``."""
    return _environment().get_template(template).render(**context)
