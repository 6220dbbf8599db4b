"""The simulator's "deleted on X" switch that the X compliance tests rely on."""

import requests

from networks.simulator.generator import x as gen


def _own_tweet_ids(sim, count: int) -> list[str]:
    body = requests.get(
        f"{sim.url}/2/users/1100000000000000001/tweets",
        params={"max_results": count},
        headers={"Authorization": f"Bearer {sim.x_token('boulogne')}"},
        timeout=10,
    ).json()
    return [tweet["id"] for tweet in body["data"]]


def test_it_answers_not_found_for_a_tweet_deleted_on_x(sim):
    first, second = _own_tweet_ids(sim, 5)[:2]
    answer = requests.post(f"{sim.url}/_sim/deleted", json={"tweet_ids": [first]}, timeout=10).json()
    assert answer == {"tweet_ids": [first]}
    body = requests.get(
        f"{sim.url}/2/tweets",
        params={"ids": f"{first},{second}"},
        headers={"Authorization": f"Bearer {sim.x_token('boulogne')}"},
        timeout=10,
    ).json()
    assert [tweet["id"] for tweet in body["data"]] == [second]
    assert [(error["value"], error["title"]) for error in body["errors"]] == [(first, "Not Found Error")]
    assert first not in _own_tweet_ids(sim, 5)
    assert gen.tweet_by_id(sim.sim.seed, int(first)) is not None  # the world is unchanged, only hidden


def test_it_forgets_deleted_tweets_on_reset(sim):
    sim.delete_tweets(_own_tweet_ids(sim, 5)[0])
    sim.reset()
    assert requests.get(f"{sim.url}/_sim/deleted", timeout=10).json() == {"tweet_ids": []}
