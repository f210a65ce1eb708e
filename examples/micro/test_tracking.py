"""A user's CI test of their tracking against `trackway micro`, in Python with plain HTTP (no Trackway package).

Start micro in the CI job, run the code under test (any language's Trackway SDK pointed at micro's ingest address),
then assert with the standard library only:

    npx trackway micro --proto proto --port 50061 --http-port 9090 &
    MICRO_URL=http://127.0.0.1:9090 python -m pytest examples/micro/test_tracking.py
"""
import json
import os
import urllib.request

MICRO = os.environ.get("MICRO_URL", "http://127.0.0.1:9090")


def micro(path, method="GET"):
    with urllib.request.urlopen(urllib.request.Request(MICRO + path, method=method)) as r:
        return json.load(r)


def run_code_under_test():
    """Your app's flow that tracks events (for example a checkout through the Trackway SDK)."""


def test_checkout_tracks_valid_events():
    micro("/micro/reset", method="POST")
    run_code_under_test()
    counts = micro("/micro/all")
    assert counts["bad"] == 0, micro("/micro/bad")  # the failure message shows each rejection's reasons
    orders = micro("/micro/good?event=shop.order_completed&user=u-1")
    assert all(o["properties"]["order_id"] for o in orders)


def test_rejections_name_their_reason():
    for bad in micro("/micro/bad"):
        assert bad["reason"].isupper() and bad["message"]
