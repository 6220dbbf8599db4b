"""Errors are classified once, with their fate: the table of what each failure becomes."""

import datetime as dt

import pytest
import requests
import tweepy
from pyfacebook import FacebookError, LibraryError

from networks.http import Usage
from networks.providers.errors import (
    AuthExpired,
    Permanent,
    RateLimited,
    Transient,
    from_graph,
    from_requests,
    from_x,
    graph_error,
)


def x_response(status: int, body: bytes = b"{}", headers: dict | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    response.reason = "x"
    return response


@pytest.mark.parametrize(
    ("error", "expected", "permanent"),
    [
        (tweepy.TooManyRequests(x_response(429, headers={"x-rate-limit-reset": "1800000000"})), RateLimited, False),
        (tweepy.Unauthorized(x_response(401)), AuthExpired, True),
        (tweepy.Forbidden(x_response(403)), Permanent, True),
        (tweepy.NotFound(x_response(404)), Permanent, True),
        (tweepy.BadRequest(x_response(400)), Permanent, True),
        (tweepy.TwitterServerError(x_response(503)), Transient, False),
        (requests.ReadTimeout(), Transient, False),
        (requests.ConnectionError(), Transient, False),
        (requests.JSONDecodeError("x", "y", 0), Transient, False),
    ],
)
def test_it_classifies_x_failures(error, expected, permanent):
    classified = from_x(error)
    assert type(classified) is expected
    assert classified.permanent is permanent


def test_it_takes_the_x_reset_from_the_header():
    error = from_x(tweepy.TooManyRequests(x_response(429, headers={"x-rate-limit-reset": "1800000000"})))
    assert error.reset_at == dt.datetime.fromtimestamp(1800000000, tz=dt.UTC)


@pytest.mark.parametrize(
    ("error", "expected", "scope"),
    [
        ({"code": 190, "error_subcode": 460}, AuthExpired, None),
        ({"code": 102}, AuthExpired, None),
        ({"code": 463}, AuthExpired, None),
        ({"code": 467}, AuthExpired, None),
        ({"code": 100, "error_subcode": 33}, Permanent, None),
        ({"code": 100}, Permanent, None),
        ({"code": 18}, Permanent, None),  # 30 hashtags a week reached
        ({"code": 1, "is_transient": True}, Transient, None),
        ({"code": 2}, Transient, None),
        ({"code": 4}, RateLimited, "app"),
        ({"code": 17}, RateLimited, "account"),
        ({"code": 32}, RateLimited, "account"),
        ({"code": 613}, RateLimited, "account"),
        ({"code": 80001}, RateLimited, "account"),
        ({"code": 80002}, RateLimited, "account"),
    ],
)
def test_it_classifies_graph_errors(error, expected, scope):
    classified = graph_error({"error": {"message": "m", "type": "OAuthException", **error}})
    assert type(classified) is expected
    if scope:
        assert classified.scope == scope


def test_it_waits_as_long_as_meta_announces():
    usage = Usage(
        business_usage={"1": [{"type": "instagram", "call_count": 100, "estimated_time_to_regain_access": 30}]}
    )
    before = dt.datetime.now(dt.UTC)
    error = graph_error({"error": {"code": 80002, "message": "m"}}, usage=usage)
    assert dt.timedelta(minutes=29) < error.reset_at - before <= dt.timedelta(minutes=31)


def test_it_classifies_pyfacebook_and_network_failures():
    assert isinstance(from_graph(FacebookError({"error": {"code": 190, "message": "m"}})), AuthExpired)
    assert isinstance(from_graph(LibraryError({"message": "Wrong response, not json or image"})), Transient)
    assert isinstance(from_graph(KeyError("Content-Type")), Transient)
    assert isinstance(from_graph(requests.ConnectTimeout()), Transient)
    assert isinstance(from_requests(requests.ReadTimeout()), Transient)
