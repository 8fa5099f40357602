"""Load and fault test of CommonOps, on this machine only (127.0.0.1).

    python loadtest/run.py                     # the full test: what `make loadtest` runs
    python loadtest/run.py --users 20 --duration 20 --fault-duration 30   # the CI's bounded one

It starts everything it needs and stops it again:

1. a PostgreSQL cluster of its own in a temporary folder (initdb; run as the `postgres`
   user when started by root), with the demo world migrated and seeded;
2. gunicorn with several workers in production settings (DEBUG off, the database task
   queue, e-mail to files), and a `db_worker` for the background tasks;
3. Locust (loadtest/locustfile.py): staff, desk agents, OMT members and analysts.

Phase one is the plain load: every request must succeed; it reports the p95 per request type.
Phase two repeats the load while faults happen: PostgreSQL is restarted, a gunicorn worker
is killed with SIGKILL, the task worker is killed and started again, and an SLA check is
killed half-way and run again. Then it checks that the application recovered by itself, that
every write the application confirmed is in the database, that no e-mail went out twice and
that no SLA breach was recorded twice. Requests that failed during the faults are counted,
not forgiven: only those the faults explain (a 503 or a dropped connection) are allowed.

The result is printed as a table and written as JSON (--json). Exit status 0 when every
check holds.
"""

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                      else 0)
    return versions[-1].parent if versions else None


class Cluster:
    """A throwaway PostgreSQL server: its own data folder, port and socket folder."""

    def __init__(self, workdir: Path, port: int):
        self.bin = postgres_bin()
        if self.bin is None:
            raise SystemExit("PostgreSQL's server programs are not installed "
                             "(/usr/lib/postgresql/*/bin).")
        self.data = workdir / "pgdata"
        self.sockets = workdir / "pgsocket"
        self.port = port
        self.as_postgres = os.geteuid() == 0
        self.url = f"postgres://postgres@127.0.0.1:{port}/commonops_load"

    def _run(self, *command, check=True):
        command = [str(self.bin / command[0]), *command[1:]]
        if self.as_postgres:  # the server refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        # No pipes: a server started by pg_ctl would hold them open after pg_ctl returns.
        return subprocess.run(command, check=check, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _options(self) -> str:
        return (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
                "-c max_connections=200")

    def create(self):
        self.sockets.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.data.parent, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale", "C")
        self.start()
        subprocess.run([str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", "postgres", "-q", "-c", "CREATE DATABASE commonops_load"],
                       check=True, capture_output=True)

    def start(self):
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "server.log"),
                  "-o", self._options(), "start")

    def restart(self):
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "-l",
                  str(self.data / "server.log"), "-o", self._options(), "restart")

    def stop(self):
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop", check=False)


class Application:
    """gunicorn and the task worker, in production settings, on 127.0.0.1."""

    def __init__(self, workdir: Path, database_url: str, port: int, workers: int):
        self.port, self.workers = port, workers
        self.url = f"http://127.0.0.1:{port}"
        self.var = workdir / "var"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "commonops.settings",
            "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_urlsafe(50),
            "EMBEDDED": "false", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # plain HTTP on 127.0.0.1: no TLS proxy in front of it
            "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "TASKS_BACKEND": "database", "EMAIL_BACKEND": "file",
            "COMMONOPS_VAR_DIR": str(self.var), "STATIC_ROOT": str(workdir / "static"),
            "SITE_URL": self.url, "LOG_LEVEL": "WARNING",
        }
        self.gunicorn = None
        self.task_worker = None

    def manage(self, *args, timeout=900):
        return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env,
                              check=True, capture_output=True, text=True, timeout=timeout)

    def prepare(self):
        (self.var / "mail").mkdir(parents=True)
        self.manage("migrate", "--no-input", "-v0")
        self.manage("seed_demo")
        self.manage("collectstatic", "--no-input", "-v0")

    def start(self):
        self.gunicorn = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "commonops.wsgi", "--workers", str(self.workers),
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "5",
             "--log-level", "warning"], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=open(self.var / "gunicorn.log", "a"))
        self.start_task_worker()
        if not wait_healthy(self.url, 60):
            raise SystemExit("gunicorn did not answer /healthz within a minute.")
        for _warm_up in range(2 * self.workers):  # each worker loads the project once
            http_status(self.url + "/accounts/login/", timeout=30)

    def start_task_worker(self):
        self.task_worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay",
             "--no-reload"], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=open(self.var / "db_worker.log", "a"))

    def gunicorn_workers(self) -> list[int]:
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self):
        for process in (self.task_worker, self.gunicorn):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def http_status(url: str, timeout: float = 5) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_healthy(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if http_status(url + "/healthz") == 200:
            return True
        time.sleep(0.2)
    return False


def run_locust(app: Application, *, users: int, spawn_rate: int, duration: int,
               prefix: Path, writes: Path) -> dict:
    env = {**os.environ, "LOADTEST_WRITES": str(writes)}
    subprocess.run(
        [PYTHON, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
         "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{duration}s",
         "--host", app.url, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
         "--loglevel", "ERROR"], cwd=ROOT, env=env, check=False, capture_output=True,
        timeout=duration + 120)
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as table:
        for row in csv.DictReader(table):
            stats[row["Name"]] = {"requests": int(row["Request Count"]),
                                  "failures": int(row["Failure Count"]),
                                  "median_ms": float(row["50%"] or 0),
                                  "p95_ms": float(row["95%"] or 0),
                                  "p99_ms": float(row["99%"] or 0),
                                  "per_second": round(float(row["Requests/s"] or 0), 2)}
    failures = []
    with open(f"{prefix}_failures.csv", newline="") as table:
        for row in csv.DictReader(table):
            failures.append({"name": row["Name"], "error": row["Error"],
                             "occurrences": int(row["Occurrences"])})
    return {"stats": stats, "failures": failures}


class Faults(threading.Thread):
    """The faults of phase two, at set moments of the load; and a watch on /healthz that
    measures how long the application takes to answer again after each."""

    def __init__(self, app: Application, cluster: Cluster, duration: int):
        super().__init__(daemon=True)
        self.app, self.cluster, self.duration = app, cluster, duration
        self.log: list[dict] = []

    def _at(self, share: float, start: float):
        time.sleep(max(0.0, start + share * self.duration - time.monotonic()))

    def _recovery(self, began: float) -> float:
        wait_healthy(self.app.url, 60)
        return round(time.monotonic() - began, 2)

    def run(self):
        try:
            self._faults()
        except Exception as error:  # recorded: the check of the log then fails
            self.log.append({"fault": "the fault injection itself failed",
                             "error": repr(error)})

    def _faults(self):
        start = time.monotonic()
        self._at(0.2, start)
        began = time.monotonic()
        self.cluster.restart()
        self.log.append({"fault": "PostgreSQL restarted (fast shutdown)",
                         "answers_again_after_s": self._recovery(began)})
        self._at(0.45, start)
        workers = self.app.gunicorn_workers()
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            began = time.monotonic()
            self.log.append({"fault": "a gunicorn worker killed (SIGKILL) under load",
                             "answers_again_after_s": self._recovery(began)})
        self._at(0.6, start)
        self.app.task_worker.kill()
        self.app.task_worker.wait()
        time.sleep(2)
        self.app.start_task_worker()
        self.log.append({"fault": "the task worker killed (SIGKILL) and started again"})
        self._at(0.7, start)
        check = subprocess.Popen([PYTHON, "manage.py", "check_sla"], cwd=ROOT,
                                 env=self.app.env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        check.kill()
        check.wait()
        self.app.manage("check_sla")
        self.log.append({"fault": "an SLA check killed half-way, then run again"})


def verify(app: Application, writes: Path, since: str) -> dict:
    """What must hold after the faults, read from the database and the sent e-mails."""
    import psycopg

    recorded = Counter()
    tickets, replies = [], []
    if writes.exists():
        for line in writes.read_text().splitlines():
            kind, value = line.split("\t", 1)
            recorded[kind] += 1
            (tickets if kind == "ticket" else replies).append(value)
    # let the task worker finish, then send what it left (retries, lost tasks)
    deadline = time.monotonic() + 60
    with psycopg.connect(app.env["DATABASE_URL"], autocommit=True) as db:
        while time.monotonic() < deadline:
            waiting = db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult "
                                 "WHERE status IN ('READY', 'RUNNING')").fetchone()[0]
            if not waiting:
                break
            time.sleep(1)
        app.manage("send_queued_mail")
        found_tickets = db.execute("SELECT count(DISTINCT subject) FROM servicedesk_ticket "
                                   "WHERE subject = ANY(%s)", [tickets]).fetchone()[0]
        found_replies = db.execute("SELECT count(DISTINCT body) FROM servicedesk_ticketevent "
                                   "WHERE body = ANY(%s)", [replies]).fetchone()[0]
        duplicate_tickets = db.execute(
            "SELECT count(*) FROM (SELECT subject FROM servicedesk_ticket WHERE subject = "
            "ANY(%s) GROUP BY subject HAVING count(*) > 1) AS twice", [tickets]).fetchone()[0]
        duplicate_breaches = db.execute(
            "SELECT count(*) FROM (SELECT ticket_id FROM servicedesk_ticketevent "
            "WHERE kind = 'sla' AND at >= %s GROUP BY ticket_id HAVING count(*) > 1) AS twice",
            [since]).fetchone()[0]
        outbox = dict(db.execute("SELECT status, count(*) FROM core_outboundemail "
                                 "GROUP BY status").fetchall())
    sent_ids = Counter()
    for path in (app.var / "mail").glob("*"):
        sent_ids.update(re.findall(r"^Message-ID: (\S+)", path.read_text(errors="replace"),
                                   re.M))
    return {
        "writes_confirmed": dict(recorded),
        "tickets_found": found_tickets, "replies_found": found_replies,
        "every_confirmed_write_is_there": found_tickets == len(tickets)
        and found_replies == len(replies),
        "tickets_made_twice": duplicate_tickets,
        "emails_sent": sum(sent_ids.values()),
        "emails_sent_twice": sum(1 for count in sent_ids.values() if count > 1),
        "outbox": outbox,
        "sla_breaches_recorded_twice": duplicate_breaches,
    }


# What the faults may cause: a 503 while the database restarts, a dropped connection (status
# 0) when a worker is killed in the middle of a request.
FAULT_EXPLAINED = re.compile(r"503|answered 0\b|Connection(Reset|Refused|Aborted)|"
                             r"RemoteDisconnected|ConnectionError|BadStatusLine|"
                             r"Remote end closed", re.I)


def report(result: dict) -> str:
    lines = []
    for phase in ("load", "faults"):
        if phase not in result:
            continue
        stats = result[phase]["stats"]
        lines.append(f"\n{phase}: {result['users']} users, {result[phase]['duration_s']} s")
        lines.append(f"{'request':44} {'count':>7} {'fail':>5} {'median':>7} {'p95':>7} "
                     f"{'p99':>7}")
        for name, row in stats.items():
            lines.append(f"{name[:44]:44} {row['requests']:>7} {row['failures']:>5} "
                         f"{row['median_ms']:>7.0f} {row['p95_ms']:>7.0f} "
                         f"{row['p99_ms']:>7.0f}")
        for failure in result[phase]["failures"]:
            lines.append(f"  failure x{failure['occurrences']}: {failure['name']}: "
                         f"{failure['error'][:120]}")
    if "fault_log" in result:
        lines.append("\nfaults:")
        lines.extend(f"  {json.dumps(entry)}" for entry in result["fault_log"])
        lines.append("checks: " + json.dumps(result["checks"], indent=1))
    lines.append(f"\nset-up {result.get('setup_s', '?')} s, total {result.get('total_s', '?')} s")
    lines.append(f"verdict: {'PASS' if result['passed'] else 'FAIL'}: "
                 + "; ".join(result["problems"] or ["every check holds"]))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--duration", type=int, default=120, help="seconds of plain load")
    parser.add_argument("--fault-duration", type=int, default=90,
                        help="seconds of load with faults (0: no faults)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (0: any free)")
    parser.add_argument("--postgres-port", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the result here")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="commonops-load-"))
    os.chmod(workdir, 0o755)
    cluster = Cluster(workdir, args.postgres_port or free_port())
    app = Application(workdir, cluster.url, args.port or free_port(), args.workers)
    result = {"users": args.users, "workers": args.workers, "problems": []}
    began = time.monotonic()
    try:
        cluster.create()
        app.prepare()
        app.start()
        result["setup_s"] = round(time.monotonic() - began)
        writes = workdir / "writes.tsv"
        load = run_locust(app, users=args.users, spawn_rate=args.spawn_rate,
                          duration=args.duration, prefix=workdir / "load", writes=writes)
        result["load"] = {"duration_s": args.duration, **load}
        errors = sum(row["failures"] for name, row in load["stats"].items()
                     if name != "Aggregated")
        if errors:
            result["problems"].append(f"{errors} failed requests under plain load")
        if args.fault_duration:
            with psycopg_now(cluster.url) as since:
                faults = Faults(app, cluster, args.fault_duration)
                faults.start()
                faulted = run_locust(app, users=args.users, spawn_rate=args.spawn_rate,
                                     duration=args.fault_duration, prefix=workdir / "faults",
                                     writes=writes)
                faults.join(timeout=120)
            result["faults"] = {"duration_s": args.fault_duration, **faulted}
            result["fault_log"] = faults.log
            unexplained = [f for f in faulted["failures"]
                           if not FAULT_EXPLAINED.search(f["error"])]
            if len(faults.log) != 4 or any("error" in entry for entry in faults.log):
                result["problems"].append("the faults did not all happen: "
                                          + json.dumps(faults.log))
            if unexplained:
                result["problems"].append(f"{len(unexplained)} kinds of failure the faults "
                                          "do not explain")
            recovered = wait_healthy(app.url, 30) and http_status(
                app.url + "/accounts/login/") == 200
            checks = verify(app, writes, since)
            checks["recovered_by_itself"] = recovered
            result["checks"] = checks
            if not recovered:
                result["problems"].append("the application did not recover")
            if not checks["every_confirmed_write_is_there"]:
                result["problems"].append("a confirmed write is missing")
            for key in ("tickets_made_twice", "emails_sent_twice",
                        "sla_breaches_recorded_twice"):
                if checks[key]:
                    result["problems"].append(f"{key}: {checks[key]}")
    except Exception as error:  # report what was measured, and why it stopped
        result["problems"].append(f"the test itself failed: {error!r}")
    finally:
        app.stop()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    result["total_s"] = round(time.monotonic() - began)
    result["passed"] = not result["problems"]
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    print(report(result))
    return 0 if result["passed"] else 1


class psycopg_now:
    """The database's clock when the faults begin (SLA events recorded since then)."""

    def __init__(self, url):
        self.url = url

    def __enter__(self):
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute("SELECT now()::text").fetchone()[0]

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    sys.exit(main())
