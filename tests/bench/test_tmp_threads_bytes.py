import re
import pytest
from test_bench_pages import _case_scene, _signed_in, LARGE

pytestmark = pytest.mark.bench

def test_bytes(app, make_user, make_group):
    many = _case_scene(make_user, make_group, LARGE, "L")
    for who in ("supervisor", "author"):
        client = _signed_in(app, getattr(many, who))
        html = client.get(f"/cases/{many.case.id}").get_data(as_text=True)
        panel = html[html.find('data-annotations'):]
        print("\nBYTES", who, len(html), "panel", len(panel), "articles", len(re.findall(r'id="annotation-\d+"', html)))
        open(f"/tmp/threads_case_{who}.html", "w").write(html)
