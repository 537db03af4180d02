"""What the public does, for the load test (bench/load_test.py): read the strategy and its
measures, the KPI dashboard, programs and events, answer the navigator, search, and call the
JSON API. Weights are rough shares of traffic; every request must answer 200.

A second user class, `Floor`, asks only `/healthz` (no database, no template): the same
server's ceiling, so the report can say how far each page is from a minimal view.
"""

import os
import random

from locust import HttpUser, between, constant, task

# LOCUST_NO_WAIT=1: no think time, to measure the most requests per second the server takes.
WAIT = constant(0) if os.environ.get("LOCUST_NO_WAIT") else between(0.5, 1.5)

MEASURES = [f"{n:02d}" for n in range(1, 18)]
STAGES = ("pre_founding", "young", "established", "succession")
INDUSTRIES = ("", "A", "D", "E", "G", "I", "L", "M", "P")
CHALLENGES = ("new-business", "sales", "finance", "succession", "rnd", "training", "it")
QUERIES = (
    "補助金",
    "創業",
    "起業",
    "DX",
    "ｄｘ",
    "販路",
    "事業承継",
    "セミナー",
    "subsidy",
    "つくば",
)


class Public(HttpUser):
    wait_time = WAIT

    @task(4)
    def home(self):
        self.client.get("/", name="/")

    @task(3)
    def measure(self):
        self.client.get(
            f"/strategy/measures/{random.choice(MEASURES)}/", name="/strategy/measures/[nn]/"
        )

    @task(2)
    def tree(self):
        self.client.get("/strategy/", name="/strategy/")

    @task(3)
    def dashboard(self):
        self.client.get("/indicators/", name="/indicators/")

    @task(2)
    def programs(self):
        self.client.get("/programs/", name="/programs/")

    @task(2)
    def events(self):
        self.client.get("/events/", name="/events/")

    @task(2)
    def navigator_form(self):
        self.client.get("/navigator/", name="/navigator/")

    @task(4)
    def navigator_results(self):
        params = {
            "stage": random.choice(STAGES),
            "industry": random.choice(INDUSTRIES),
            "in_city": random.choice(("yes", "no")),
            "challenge": random.sample(CHALLENGES, k=random.randint(1, 3)),
        }
        if random.random() < 0.5:
            params["employees"] = random.choice((1, 5, 20, 80, 400))
        self.client.get("/navigator/results/", params=params, name="/navigator/results/")

    @task(3)
    def search(self):
        self.client.get(
            "/navigator/search/", params={"q": random.choice(QUERIES)}, name="/navigator/search/"
        )

    @task(2)
    def api_search(self):
        self.client.get(
            "/api/v1/search", params={"q": random.choice(QUERIES)}, name="/api/v1/search"
        )

    @task(1)
    def api_strategy(self):
        self.client.get("/api/v1/strategy", name="/api/v1/strategy")

    @task(1)
    def api_indicators(self):
        self.client.get("/api/v1/indicators", name="/api/v1/indicators")

    @task(1)
    def api_programs(self):
        self.client.get("/api/v1/programs", name="/api/v1/programs")


class Floor(HttpUser):
    wait_time = WAIT

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz (floor)")
