"""Load test users for bench/load.py (run by locust in its own process, never imported by the
product or the tests: locust patches the standard library with gevent).

Each simulated user is a logged-in member of the benchmark agency (a session made by the bench)
mixing what a community manager opens: a workspace's overview page, an account's page and the
overview API. Ids and session keys come from the JSON file named by LOAD_PLAN.
"""

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, constant, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))


class CommunityManager(FastHttpUser):
    wait_time = constant(float(os.environ.get("LOAD_THINK_S", "0.2")))

    def on_start(self) -> None:
        self.session_key = PLAN["sessions"].pop() if len(PLAN["sessions"]) > 1 else PLAN["sessions"][0]
        self.headers = {"Cookie": f"sessionid={self.session_key}", "Accept-Language": "fr"}
        self.org = PLAN["org"]

    def _get(self, url: str, name: str) -> None:
        with self.client.get(url, headers=self.headers, name=name, catch_response=True) as response:
            # A redirect would be the login page: a lost session is an error, not a fast answer.
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(3)
    def workspace_overview(self) -> None:
        workspace = random.choice(PLAN["workspaces"])
        self._get(f"/o/{self.org}/w/{workspace}/dashboard/", "workspace overview page")

    @task(2)
    def account_page(self) -> None:
        account = random.choice(PLAN["accounts"])
        self._get(f"/o/{self.org}/accounts/{account}/stats/", "account page")

    @task(2)
    def overview_api(self) -> None:
        workspace = random.choice(PLAN["workspaces"])
        self._get(f"/api/v1/organizations/{self.org}/overview/?workspace={workspace}", "overview API")
