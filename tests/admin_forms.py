"""Post an admin form the way a browser does: every field the page renders, with a few changed."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields, self._textarea, self._select = form_id, False, {}, None, None
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            else:
                self.fields[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in attrs
            if self._multiple:
                self.fields[name] = []  # a multiple select posts every selected option (none: the field is absent)
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.fields[self._select].append(attrs.get("value", ""))
            else:
                self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html, form_id):
    parser = _FormFields(form_id)
    parser.feed(html)
    # Browsers drop the newline that follows <textarea>.
    return {name: value.removeprefix("\n") if isinstance(value, str) else value for name, value in parser.fields.items()}


def post_change_form(client, url, form_id, **changes):
    """GET the admin page at `url`, change some fields, POST the whole form back; return the response."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_fields(page.content.decode(), form_id)
    data.update(changes)
    data.pop("csrfmiddlewaretoken", None)
    return client.post(url, data)
