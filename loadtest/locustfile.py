"""A working day at Viet Nam's OMT, for Locust (run by loadtest/run.py, never by hand
against anything but this machine).

- staff raise tickets and follow their requests;
- desk agents work the queue: open tickets and reply to them;
- OMT members read the OMT pages: home, meetings, a meeting, the action tracker;
- analysts run the reports: the common-services report, the desk's KPIs, the BOS.

Every write that the application confirmed (a redirect after the post) is appended to the
file named by LOADTEST_WRITES, so the harness can check afterwards that each one is in the
database, whatever was restarted or killed in between.
"""

import os
import random
import re
import uuid
from datetime import date
from urllib.parse import urlparse

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "commonops-demo")
WRITES = os.environ.get("LOADTEST_WRITES", "")
AGENTS = ["vn-sdm", "vn-agent1", "vn-agent2", "vn-agent3", "vn-agent4", "vn-agent5"]
MEMBERS = ["vn-member", "vn-chair", "vn-cochair", "vn-secretary", "vn-omt-fao", "vn-omt-unfpa"]
TICKET = re.compile(r'href="/desk/tickets/(\d+)/"')
MEETING = re.compile(r'href="/omt/meetings/(\d+)/"')
STRATEGY = re.compile(r'href="/bos/strategies/(\d+)/')
CATEGORY = re.compile(r'<select name="category"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    return match.group(1) if match else ""


def _record(kind: str, value: str) -> None:
    if WRITES:
        with open(WRITES, "a", encoding="utf-8") as writes:
            writes.write(f"{kind}\t{value}\n")


class CommonOpsUser(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    usernames: list[str] = []

    def on_start(self):
        self.username = random.choice(self.usernames)
        self.signed_in = False
        self.sign_in()

    def sign_in(self) -> bool:
        """Log in (again, after a failed try); False while it does not work."""
        if self.signed_in:
            return True
        page = self.client.get("/accounts/login/", name="login page").text
        with self.client.post("/accounts/login/", name="log in", allow_redirects=False,
                              catch_response=True,
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": _hidden(
                                        page, "csrfmiddlewaretoken")}) as response:
            if response.status_code == 302:
                response.success()
                self.signed_in = True
            else:
                response.failure(f"login of {self.username} answered "
                                  f"{response.status_code}")
        return self.signed_in

    def post_form(self, url: str, form_page: str, data: dict, name: str):
        """Post a form the way a browser does: its CSRF token, its one-time token."""
        data = {"csrfmiddlewaretoken": _hidden(form_page, "csrfmiddlewaretoken"),
                "form_token": _hidden(form_page, "form_token"), **data}
        with self.client.post(url, data=data, name=name, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"{name} answered {response.status_code}")
            return response


class Staff(CommonOpsUser):
    weight = 4
    usernames = ["vn-staff"]

    @task(3)
    def my_requests(self):
        if not self.sign_in():
            return
        page = self.client.get("/desk/", name="/desk/ (my requests)").text
        tickets = TICKET.findall(page)
        if tickets:
            self.client.get(f"/desk/tickets/{random.choice(tickets)}/",
                            name="/desk/tickets/[id]/")

    @task(2)
    def home(self):
        if not self.sign_in():
            return
        self.client.get("/", name="/ (home)")

    @task(1)
    def raise_ticket(self):
        if not self.sign_in():
            return
        page = self.client.get("/desk/tickets/new/", name="/desk/tickets/new/").text
        select = CATEGORY.search(page)
        categories = OPTION.findall(select.group(1)) if select else []
        if not categories:
            return
        subject = f"Load test {uuid.uuid4().hex}"
        response = self.post_form("/desk/tickets/new/", page, {
            "category": random.choice(categories), "priority": "P3", "subject": subject,
            "description": "Raised by the load test."}, name="raise a ticket")
        if response.status_code in (302, 303):
            _record("ticket", subject)


class Agent(CommonOpsUser):
    weight = 3
    usernames = AGENTS

    @task(3)
    def queue(self):
        if not self.sign_in():
            return
        page = self.client.get("/desk/tickets/", name="/desk/tickets/ (queue)").text
        self.tickets = TICKET.findall(page)

    @task(3)
    def open_ticket(self):
        if not self.sign_in():
            return
        if getattr(self, "tickets", None):
            self.client.get(f"/desk/tickets/{random.choice(self.tickets)}/",
                            name="/desk/tickets/[id]/")

    @task(1)
    def reply(self):
        if not self.sign_in():
            return
        if not getattr(self, "tickets", None):
            return
        pk = random.choice(self.tickets)
        page = self.client.get(f"/desk/tickets/{pk}/", name="/desk/tickets/[id]/").text
        if f"/desk/tickets/{pk}/reply/" not in page:
            return
        body = f"Load test reply {uuid.uuid4().hex}"
        response = self.post_form(f"/desk/tickets/{pk}/reply/", page,
                                  {"body": body}, name="reply to a ticket")
        if response.status_code in (302, 303):
            _record("reply", body)


class Member(CommonOpsUser):
    weight = 3
    usernames = MEMBERS

    @task(2)
    def omt_home(self):
        if not self.sign_in():
            return
        self.client.get("/omt/", name="/omt/ (OMT home)")

    @task(2)
    def meetings(self):
        if not self.sign_in():
            return
        page = self.client.get("/omt/meetings/", name="/omt/meetings/").text
        meetings = MEETING.findall(page)
        if meetings:
            self.client.get(f"/omt/meetings/{random.choice(meetings)}/",
                            name="/omt/meetings/[id]/")

    @task(1)
    def actions(self):
        if not self.sign_in():
            return
        self.client.get("/omt/actions/", name="/omt/actions/ (action tracker)")


class Analyst(CommonOpsUser):
    weight = 1
    usernames = ["hq-analyst"]

    @task(1)
    def services_report(self):
        if not self.sign_in():
            return
        year = date.today().year - 1
        self.client.get(f"/services/report/{year}/", name="/services/report/[year]/")

    @task(1)
    def desk_kpis(self):
        if not self.sign_in():
            return
        self.client.get("/desk/kpis/", name="/desk/kpis/")

    @task(1)
    def bos_report(self):
        if not self.sign_in():
            return
        page = self.client.get("/bos/", name="/bos/").text
        strategies = STRATEGY.findall(page)
        if strategies:
            self.client.get(f"/bos/strategies/{random.choice(strategies)}/report/",
                            name="/bos/strategies/[id]/report/")


def _loopback_only(environment, **_kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"The load test targets this machine only, not {host!r}.")


try:
    from locust import events

    events.init.add_listener(_loopback_only)
except ImportError:  # pragma: no cover
    pass
